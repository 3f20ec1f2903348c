"""The board layer: composite views (at a glance, the money summary, later pitfalls, the
board's questions and board packs) composed from the other apps' figures, never from their
presenters, so the page, the board pack and the API show the same numbers."""
