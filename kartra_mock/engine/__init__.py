"""The mock's machinery around Kartra's behaviour: backend and its lock, request journal,
faults, rate limiter, the state document's format and its persistence.

Built on :mod:`kartra_mock.domain`; knows nothing of HTTP.
"""
