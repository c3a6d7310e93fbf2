"""The web layer: the only package that knows HTTP (blueprints, forms, cookies, request, session)."""
