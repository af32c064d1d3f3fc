"""The graph browser: views of the graph (views.py) drawn as interactive, hierarchical, offline
vis-network pages through pyvis (render.py, style.py, assets.py), served by a FastAPI router
(web.py) and written as self-contained files by `chidao viz`."""
