"""Parsed inputs. Each file is loaded and parsed once; every rule reads the same Document."""
