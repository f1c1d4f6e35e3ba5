"""The policy engine: a Chinese policy language compiled to durable-rules and evaluated over
project facts. Stages (one module each): vocabulary → facts; grammar → syntax → checker → ir →
backend (the protocol, and the caller's choice of Engine) → durable_backend (and reference);
valuation → findings. The façade is engine.policy."""
