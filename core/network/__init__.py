"""Network intelligence on the integrated map (issue 12): a graph per category in flat arrays
(:mod:`.graph`), topology findings (:mod:`.topology`), traces (:mod:`.trace`), valve isolation for
a burst main or a gas leak (:mod:`.isolate`) and the content of the one-page response sheet
(:mod:`.sheet`). QGIS-free: numpy, scipy.sparse and shapely only.
"""
