"""The policy engine: a Chinese policy language compiled to durable-rules and evaluated over
project facts. Stages (one module each): vocabulary → facts; policy_files → parser (the grammar,
grammar/policy.lark; syntax_errors) → syntax → inherit → checker (environment → lowering → passes)
→ ir → versions → passes.finish → backend (the protocol, and the caller's choice of Engine) →
durable_backend (and reference); valuation → findings → report. The language is defined once in
language; the tool's data is found through package_data; the façade is engine.policy and the
command line engine.cli. The README's 「模块」 lists every module."""
