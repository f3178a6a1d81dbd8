"""Photos: the one way in for images (intake), renditions, the upload view, the library admin."""
