"""The wire: PHP-style form, multipart and JSON decoding, response encoding, contract rules.

Depends on nothing else of ``kartra_mock``; the domain, the engine, the server, the client and
``contracts`` build on it.
"""
