"""The numeric matching engine: plain NumPy, no Django.

Facts in (`facts.py`), arrays through (`criteria.py` formulas, `blocks.py` for whole
projects × offerings blocks), pairs and scores out. `reference.py` is the slow, obvious
per-pair twin used by tests and the benchmark. Only the adapters in `matchmaker/matching/`
(`encoding.py`, `scoring.py`, `stacks.py`) import it and talk to the ORM.
"""

ENGINE_VERSION = "1"
