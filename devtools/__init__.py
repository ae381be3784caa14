"""Helpers shared by the tests and the benchmarks (neither imports the other).

Non-goals: anything the product needs at run time (that lives in assistant/).
"""
