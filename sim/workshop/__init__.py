"""Workshop mode: the logic of the browser dashboard (``community-sim app``) and the page itself.

Layer 7, beside ``sim.validation`` and ``sim.bench`` (it steps models live, so it imports
``sim.model``; it never imports the CLI). ``levers`` lists what a room can move, ``session``
holds one dashboard session and its runs, ``layout`` places the network, ``figures`` draws for a
projector, ``arms`` saves the settings as an experiment arm, ``app`` is the Solara page (needs
the ``viz`` extra; everything else is tested without a browser). ``room`` is room mode's shared
state (teams' strategies run as one experiment) and ``room_page`` its team and presenter pages.
"""
