"""Unit, golden and vault-level tests (`tests.data` holds their corpora)."""
