"""政策工作台: the local web page for policy staff (server.py and its static page)."""
