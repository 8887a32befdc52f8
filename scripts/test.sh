#!/usr/bin/env bash
# Runs every test: unit and integration tests (vitest) on PGlite, and also on
# Postgres when TEST_DATABASE_URL is set; then the production build and the
# Playwright end-to-end tests, on PGlite and, with TEST_DATABASE_URL, on Postgres.
# With TEST_DATABASE_URL the operations tests (outages, scale-out, load) run last.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium is missing at $chromium: install it with 'apt-get install -y chromium' or set CHROMIUM_PATH." >&2
  exit 1
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  if ! node -e "const c=new (require('pg').Client)(process.argv[1]);c.connect().then(()=>c.end()).catch(e=>{console.error(e.message);process.exit(1)})" "$TEST_DATABASE_URL"; then
    echo "TEST_DATABASE_URL ($TEST_DATABASE_URL) is not reachable: start Postgres or unset it to test on PGlite only." >&2
    exit 1
  fi
  echo "== Databases: PGlite and Postgres ($TEST_DATABASE_URL)"
else
  echo "== Databases: PGlite only (set TEST_DATABASE_URL to test on Postgres too)"
fi

echo "== Static checks"
npx tsc --noEmit
npx prettier --check . > /dev/null || { npx prettier --check . ; exit 1; }
npx eslint .

echo "== Unit and integration tests"
npx vitest run

echo "== Production build"
NEXT_TELEMETRY_DISABLED=1 npx next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }

echo "== End-to-end tests on PGlite"
rm -rf .data/e2e
E2E_DATA_DIR=.data/e2e npx playwright test

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== End-to-end tests on Postgres"
  e2e_url=$(node -e "const u=new URL(process.argv[1]);u.pathname='/inview_e2e';console.log(u.toString())" "$TEST_DATABASE_URL")
  node -e "
    const pg=require('pg');const c=new pg.Client(process.argv[1]);
    c.connect().then(()=>c.query('drop database if exists inview_e2e with (force)')).then(()=>c.query('create database inview_e2e')).then(()=>c.end()).catch(e=>{console.error(e.message);process.exit(1)})" "$TEST_DATABASE_URL"
  rm -rf .data/e2e-postgres
  E2E_DATABASE_URL="$e2e_url" DATA_DIR=.data/e2e-postgres npx playwright test
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== Operations tests on Postgres (outages, scale-out, load)"
  npm run --silent test:ops
fi
