#!/bin/sh
# Builds jinxiang-policy.vsix: generates the TextMate grammar from the language's keyword lists,
# installs the client library and @vscode/vsce from npm (versions pinned in package-lock.json),
# and packages the extension. Needs python3 (with the project's dependencies), node >= 20 and npm.
set -e
cd "$(dirname "$0")"
python3 generate_grammar.py
npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund
npx vsce package --skip-license --allow-missing-repository --out jinxiang-policy.vsix
