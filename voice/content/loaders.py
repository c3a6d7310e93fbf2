"""The content loaders, one per kind of content. Importing registers them."""

from voice.content import pages  # noqa: F401
