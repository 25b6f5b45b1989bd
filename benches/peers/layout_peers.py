"""Layout peers for the scale bench (issue 17, item 4).

igraph's grid Fruchterman-Reingold is timed twice: from the case's start (the positions every
engine here starts from, scaled into igraph's frame) and from a uniform random start (its
default); its grid's cost depends on how crowded the start is.

Reads the graphs the scale bench wrote (target/bench/graphs/graph_<n>.txt: "n m", n lines
"x y" of start positions, m lines "a b" of undirected edges) and, for each, times
  * igraph's Fruchterman-Reingold with its grid (python-igraph, C core, one thread), and
  * ForceAtlas2 with Barnes-Hut (fa2_modified, Cython, one thread) at theta 0.9 (ours) and
    0.5 (graphology's default for these sizes),
per iteration (the median of several timed runs of ITER iterations, minus a 1-iteration run
of the same set-up, divided by the difference), then runs each for QUALITY iterations from the
same start and writes the positions, so the bench measures their quality with its own metrics.
Writes <out>/peers.json. Usage: python layout_peers.py target/bench
"""

import json
import os
import random
import statistics
import sys
import time

import igraph
import numpy as np
import scipy.sparse
from fa2_modified import ForceAtlas2

QUALITY = 300
ONLY = os.environ.get("PEERS_ONLY", "")  # "igraph" or "fa2" to run one engine


def read_graph(path):
    with open(path) as f:
        n, m = map(int, f.readline().split())
        pos = [tuple(map(float, f.readline().split())) for _ in range(n)]
        edges = [tuple(map(int, f.readline().split())) for _ in range(m)]
    return n, pos, edges


def per_iteration(run, iterations, repeats):
    """Median ms per iteration of run(k): (t(iterations) - t(1)) / (iterations - 1)."""
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(1)
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        run(iterations)
        many = time.perf_counter() - t0
        samples.append(max(many - one, 0.0) / (iterations - 1) * 1000.0)
    return statistics.median(samples)


def write_positions(path, coords):
    with open(path, "w") as f:
        for x, y in coords:
            f.write(f"{float(x)} {float(y)}\n")


def main(out):
    runs = []
    graphs = os.path.join(out, "graphs")
    names = sorted(
        (int(name[len("graph_"):-len(".txt")]), name)
        for name in os.listdir(graphs)
        if name.startswith("graph_") and name.endswith(".txt")
    )
    for n, name in names:
        nodes, start, edges = read_graph(os.path.join(graphs, name))
        g = igraph.Graph(n=nodes, edges=edges)
        # igraph's grid FR lays its grid over a square about sqrt(n) wide around the origin and
        # puts nodes outside it into the border cells; our start spans thousands of units, so
        # give it the same start scaled into its frame (the metrics are scale-free).
        xs = [p[0] for p in start]
        ys = [p[1] for p in start]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        scale = (nodes ** 0.5) / span
        seed = [[(x - cx) * scale, (y - cy) * scale] for x, y in start]
        iterations = 20 if n >= 50_000 else 50
        repeats = 3 if n >= 50_000 else 5

        def fr(k):
            return g.layout_fruchterman_reingold(seed=seed, niter=k, grid=True)

        # Its grid's cost depends on how crowded the start is: also from a uniform random start
        # in its frame (igraph's own default), where nothing is crowded yet.
        rng = random.Random(1)
        half = (nodes ** 0.5) / 2
        uniform = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in range(nodes)]

        def fr_uniform(k):
            return g.layout_fruchterman_reingold(seed=uniform, niter=k, grid=True)

        if ONLY in ("", "igraph"):
            for label, run, tag in (("igraph grid FR", fr, "case"),
                                    ("igraph grid FR, uniform random start", fr_uniform, "uniform")):
                ms = per_iteration(run, iterations, repeats)
                print(f"{label} @{n}: {ms:.3f} ms/iteration", flush=True)
                file = f"peer_igraph_fr_{tag}_{n}.txt"
                write_positions(os.path.join(out, file), run(QUALITY).coords)
                runs.append(dict(engine=label, nodes=n, iter_ms=ms, threads=1,
                                 quality_iterations=QUALITY, positions_file=file))
        if ONLY not in ("", "fa2"):
            continue

        rows, cols = zip(*edges) if edges else ((), ())
        adjacency = scipy.sparse.coo_matrix(
            (np.ones(len(edges)), (rows, cols)), shape=(nodes, nodes))
        adjacency = (adjacency + adjacency.T).tolil()
        start_array = np.array(start, dtype=float)
        for theta in (0.9, 0.5):
            fa2 = ForceAtlas2(barnesHutOptimize=True, barnesHutTheta=theta, verbose=False)

            def run_fa2(k):
                return fa2.forceatlas2(adjacency, pos=start_array.copy(), iterations=k)

            fa2_iterations = 5 if n >= 50_000 else 10
            ms = per_iteration(run_fa2, fa2_iterations, 3)
            print(f"fa2_modified θ{theta} @{n}: {ms:.3f} ms/iteration", flush=True)
            file = f"peer_fa2_{theta}_{n}.txt"
            # The quality run at 50k takes minutes in Python: only below.
            if n < 50_000:
                write_positions(os.path.join(out, file), run_fa2(QUALITY))
            else:
                file = ""
            runs.append(dict(engine=f"fa2_modified θ{theta}", nodes=n, iter_ms=ms, threads=1,
                             quality_iterations=QUALITY if file else 0, positions_file=file))
    path = os.path.join(out, "peers.json")
    if ONLY and os.path.exists(path):
        # Keep the other engine's runs from an earlier run.
        with open(path) as f:
            runs = [r for r in json.load(f) if not r["engine"].startswith(
                "igraph" if ONLY == "igraph" else "fa2")] + runs
    with open(path, "w") as f:
        json.dump(runs, f, indent=1)
    print(f"wrote {os.path.join(out, 'peers.json')}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
