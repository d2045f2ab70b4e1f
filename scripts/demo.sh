#!/bin/sh
# `make demo`'s serving step: migrate, load the demo data (once), then run the scheduler
# (reminders, deadlines, the outbox: web requests only queue mail) beside the web app.
# Ctrl-C (or TERM) stops both. BIN is the virtualenv's bin folder; HOST and PORT where to serve.
# The browser test tests/browser/test_demo_scheduler.py starts the demo through this script.
set -e
BIN=${BIN:-.venv/bin}
"$BIN/levbib" db upgrade
"$BIN/levbib" demo-data
"$BIN/levbib" scheduler &
scheduler=$!
trap 'kill $scheduler 2>/dev/null; wait $scheduler 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$BIN/levbib" run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" &
web=$!
trap 'kill $scheduler $web 2>/dev/null; wait $scheduler $web 2>/dev/null' EXIT
wait $web
