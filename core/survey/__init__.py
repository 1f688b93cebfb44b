"""Survey result tables (CJJ 61 point and segment tables) into the integrated map."""
