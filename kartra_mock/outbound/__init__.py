"""Kartra's outbound calls, emitted by the mock: webhooks and IPN (see ``docs/webhooks.md``).

``events`` finds what a call changed, ``payloads`` writes it as Kartra would, ``config`` says
where it goes, ``delivery`` sends it from a background thread and keeps the delivery journal.
"""
