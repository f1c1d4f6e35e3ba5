"""The policy engine: a Chinese policy language compiled to durable-rules and evaluated over
project facts. Stages (one module each): vocabulary → facts; policy_files → grammar → syntax →
inherit → checker (environment → lowering → passes) → ir → versions → passes.finish → backend (the
protocol, and the caller's choice of Engine) → durable_backend (and reference); valuation →
findings → report. The façade is engine.policy."""
