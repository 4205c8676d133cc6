"""Fitting a scenario to a group's own message log, and forecasting it: `community-sim fit`
estimates the group's size, arrivals, posting, leaving, answering and the organiser's cadence by
simulation-based inference (pyabc's ABC-SMC, in ``inference``) from the statistics of
``observed``; ``outputs`` writes the fit folder (fitted.yaml, posterior.csv...) and reads it
back; ``quality`` says how well a fit fits (credible intervals, effective sample size,
predictive checks, epsilons) and whether a forecast's reconstruction matches the log;
`community-sim forecast` (``forecast``) runs the fitted group forward over the posterior sample
(its command-line side: ``sim.cli.own_group``). Runs the model only through ``sim.run``.
"""
