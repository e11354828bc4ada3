package dev.duplex.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records at or above a level that reach a logger (the root logger is {@code ""}) while this is open.
 * Duplex logs through {@code System.Logger}, which lands in java.util.logging unless a provider replaces it.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private LogCapture(String loggerName, Level atLeast) {
        this.logger = Logger.getLogger(loggerName);
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= atLeast.intValue()) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
    }

    /** Starts capturing what reaches {@code loggerName} at {@code atLeast} or above. */
    public static LogCapture of(String loggerName, Level atLeast) {
        return new LogCapture(loggerName, atLeast);
    }

    /** What was captured so far, live. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
