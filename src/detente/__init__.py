"""detente: sourced, queryable pictures of ceasefire and peace talks, and forecasts of their outcome."""

__version__ = "0.1.0"
