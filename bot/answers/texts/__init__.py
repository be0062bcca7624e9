"""The texts themselves: /sources, /search and "Find in the texts"."""
