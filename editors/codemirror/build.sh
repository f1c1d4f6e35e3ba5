#!/bin/sh
# Rebuilds engine/workbench/static/vendor/codemirror.js and its licence file from the versions pinned
# in package-lock.json, byte for byte. Only needed to change CodeMirror: the built files are committed,
# so installing or running the workbench needs no JavaScript build. Needs node >= 20 and npm.
set -e
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node build.mjs
