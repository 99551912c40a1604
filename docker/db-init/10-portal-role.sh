#!/bin/sh
# Run once by the postgres image when it creates the database: the role the portal runs as.
# It owns nothing; `migrate` (run as the owner, esafety) grants it what the portal needs, and on
# the audit trail only INSERT and SELECT.
set -eu
psql -v ON_ERROR_STOP=1 -v portal_password="$PORTAL_DB_PASSWORD" \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE esafety_portal LOGIN PASSWORD :'portal_password';
SQL
