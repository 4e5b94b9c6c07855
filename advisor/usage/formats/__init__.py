"""One module per export format; each reduces records into an :class:`Accumulator`."""
