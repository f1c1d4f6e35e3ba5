"""The policy language's grammar (policy.lark) and the parser that turns a policy file into the
typed syntax tree of engine.syntax."""
