"""政策工作台: the local web page for policy staff. server.py serves it (static/ is the page) and
passes each request through gate.py and bodies.py to api.py, which answers free of HTTP; the
README's module list says what each of the others does."""
