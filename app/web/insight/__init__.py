"""The council's insight pages: pictures of the pool, the work, the flow, feedback and cost."""
