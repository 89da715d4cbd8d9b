"""Published algorithms, one module each; :mod:`heliotrope.criteria.registry` lists them."""
