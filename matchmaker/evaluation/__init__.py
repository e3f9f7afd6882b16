"""Public space-financing deals and a market built from financiers' published mandates:
the evaluation set `make evaluate` holds the real engine against."""
