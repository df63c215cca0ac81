"""The traffic file formats: line-oriented access logs (`combined`, `alb`, `jsonlines`) read a
block at a time, and CSV tables (`table`)."""
