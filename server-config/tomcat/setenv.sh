#!/bin/sh
# $CATALINA_HOME/bin/setenv.sh: Duplex settings for Tomcat, as system properties.
# Any duplex.* key of server-config/duplex.properties can be set here, or as a DUPLEX_* environment variable.
CATALINA_OPTS="$CATALINA_OPTS -Dduplex.idle-timeout-ms=60000"
CATALINA_OPTS="$CATALINA_OPTS -Dduplex.allowed-origins=${DUPLEX_ALLOWED_ORIGINS:-}"
# Or a whole file of overrides:
# CATALINA_OPTS="$CATALINA_OPTS -Dduplex.config=$CATALINA_BASE/conf/duplex.properties"
export CATALINA_OPTS
