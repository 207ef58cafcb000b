"""The facilitator side of Piiri: the command line, and (growing) the Flask app that serves the
leader's panel, the tablets and the shared-screen stream."""
