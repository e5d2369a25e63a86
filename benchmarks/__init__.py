"""kartra-mock's benchmarks: speed, start-up, memory and scaling, with one command.

Run ``python -m benchmarks`` from the repository root (``--quick`` for a short look): it
prints a table and writes ``benchmarks/RESULTS.md`` with the machine's description. Nothing
here runs in the test suite; ``tests/benchmarks`` only checks the pure helpers.
"""
