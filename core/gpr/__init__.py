"""Ground-penetrating radar: readers, the Radargram model, processing, images."""
