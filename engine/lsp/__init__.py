"""The language server (`python3 cli.py lsp`): the policy language in editors that speak the
Language Server Protocol (VS Code and others), over stdio.

One module per job: `language` (the keyword lists, from engine/language.py), `analysis` (parse,
check and lint a document with the project's own stages), `index` (where every name is declared
and used), `diagnostics`, `completion`, `hover`, `navigation` (definition and references),
`feature_files` (Gherkin step checking against features/conftest.py), `textmate` (the editors'
highlighting, generated), wired together in `server`.
"""
