/* chidao graph page: draws the network from the JSON in #cg-data with vis-network, and adds the
   tooltips, search, relation and place filters, and the folding groups of tasks and units.
   window.chidaoGraph exposes the network and its data sets (used by the browser tests). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var container = document.getElementById("cg-network");
  var api = { ready: false, readyMs: null, data: data };
  window.chidaoGraph = api;

  function fold(text) {
    return String(text || "").replace(/[đĐ]/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  function tipElement(tip) {
    var box = document.createElement("div");
    box.className = "cg-tip";
    var head = document.createElement("div");
    head.className = "cg-tip-head";
    head.textContent = tip.head || "";
    box.appendChild(head);
    if (tip.rows && tip.rows.length) {
      var table = document.createElement("table");
      tip.rows.forEach(function (row) {
        var tr = table.insertRow();
        var th = document.createElement("th");
        th.textContent = row[0];
        tr.appendChild(th);
        tr.insertCell().textContent = row[1];
      });
      box.appendChild(table);
    }
    return box;
  }

  function prepare(item) {
    var copy = Object.assign({}, item);
    if (item.tip) { copy.title = tipElement(item.tip); }
    delete copy.tip;
    return copy;
  }

  var nodes = new vis.DataSet(data.nodes.map(prepare));
  var edges = new vis.DataSet(data.edges.map(prepare));
  var hiddenNodes = new Map(data.hidden_nodes.map(function (n) { return [n.id, n]; }));
  var hiddenEdges = data.hidden_edges.slice();
  var groupsOf = new Map();
  Object.keys(data.groups).forEach(function (groupId) {
    data.groups[groupId].nodes.forEach(function (id) {
      if (!groupsOf.has(id)) { groupsOf.set(id, []); }
      groupsOf.get(id).push(groupId);
    });
  });
  var searchText = new Map();
  data.nodes.concat(data.hidden_nodes).forEach(function (n) {
    searchText.set(n.id, fold((n.label || "") + " | " + (n.search || "")));
  });

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var physicsOn = data.physics;
  api.network = network;
  api.nodes = nodes;
  api.edges = edges;

  /* ---- readiness, for people (count) and tests (window.chidaoGraph.ready) ---- */
  function markReady(reason) {
    if (api.ready) { return; }
    api.ready = true;
    api.readyReason = reason;
    api.readyMs = Math.round(performance.now());
    document.body.setAttribute("data-ready", "1");
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.fit();
      network.once("afterDrawing", function () { markReady("stabilized"); });
    });
    setTimeout(function () { markReady("timeout"); }, 15000);
  } else {
    network.once("afterDrawing", function () { markReady("drawn"); });
    network.fit();
  }

  function updateCount() {
    var shown = nodes.getIds({ filter: function (n) { return !n.hidden; } }).length;
    document.getElementById("cg-count").textContent =
      shown + " nút đang hiển thị / " + data.total_nodes + " nút trong trang" +
      (data.physics ? "" : " (bố cục cố định)");
  }

  /* ---- folding groups ---- */
  function flushEdges() {
    var ready = [], rest = [];
    var present = new Set(nodes.getIds());
    var drawn = new Set(edges.getIds());
    hiddenEdges.forEach(function (e) {
      (present.has(e.from) && present.has(e.to) ? ready : rest).push(e);
    });
    hiddenEdges = rest;
    edges.add(ready.filter(function (e) { return !drawn.has(e.id); }).map(function (e) {
      var edge = prepare(e);
      edge.hidden = edgeFiltered(edge);
      return edge;
    }));
  }

  function openGroup(groupId, added) {
    var group = data.groups[groupId];
    if (!group || !nodes.get(groupId)) { return; }
    var anchor = network.getPositions([groupId])[groupId] || { x: 0, y: 0 };
    var taken = new Set(added.map(function (n) { return n.id; }));
    var fresh = group.nodes.filter(function (id) {
      return !nodes.get(id) && !taken.has(id) && hiddenNodes.has(id);
    });
    fresh.forEach(function (id, index) {
      var node = prepare(hiddenNodes.get(id));
      if (!data.physics) {
        node.x = anchor.x + (index - fresh.length / 2) * 70;
        node.y = anchor.y + (node.kind === "Agency" ? 220 : 0);
        node.physics = false;
      }
      node.hidden = nodeFiltered(node);
      added.push(node);
    });
    edges.remove("group:e:" + group.document);
    nodes.remove(groupId);
  }

  /* Open several groups with one update of the data sets (one redraw, not one per group). */
  function expandMany(groupIds) {
    var added = [];
    groupIds.forEach(function (id) { openGroup(id, added); });
    nodes.add(added);
    flushEdges();
    if (physicsOn && nodes.length > data.physics_limit) {
      physicsOn = false;  // past the limit physics would freeze the page: keep positions
      network.setOptions({ physics: { enabled: false } });
    }
    updateCount();
    return added.length;
  }
  function expand(groupId) { return expandMany([groupId]); }
  api.expand = expand;
  api.expandAll = function () { return expandMany(Object.keys(data.groups)); };

  var expandButton = document.getElementById("cg-expand");
  if (Object.keys(data.groups).length) {
    expandButton.hidden = false;
    expandButton.addEventListener("click", function () { api.expandAll(); expandButton.hidden = true; });
  }
  document.getElementById("cg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });

  network.on("doubleClick", function (params) {
    var id = params.nodes[0];
    if (id === undefined) { return; }
    if (data.groups[id]) { expand(id); return; }
    var node = nodes.get(id);
    if (node && node.href && id !== data.focus) { window.location.href = node.href; }
  });

  /* ---- filters: relation types (edges) and places (nodes) ---- */
  var hiddenRelations = new Set();
  var place = "";

  function edgeFiltered(edge) { return hiddenRelations.has(edge.relation); }
  function nodeFiltered(node) {
    var places = node.places || [];
    return Boolean(place) && places.length > 0 && places.indexOf(place) < 0;
  }

  function applyFilters() {
    edges.update(edges.get().map(function (e) { return { id: e.id, hidden: edgeFiltered(e) }; }));
    nodes.update(nodes.get().map(function (n) { return { id: n.id, hidden: nodeFiltered(n) }; }));
    updateCount();
  }

  var relationBox = document.getElementById("cg-relations");
  data.relations.forEach(function (relation) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = relation.type;
    box.addEventListener("change", function () {
      if (box.checked) { hiddenRelations.delete(relation.type); } else { hiddenRelations.add(relation.type); }
      applyFilters();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(relation.legend));
    relationBox.appendChild(label);
  });

  var placeSelect = document.getElementById("cg-place");
  data.places.forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    placeSelect.appendChild(option);
  });
  placeSelect.addEventListener("change", function () { place = placeSelect.value; applyFilters(); });

  /* ---- search: ids, titles, task texts, unit names; opens the groups that hold a match ---- */
  var searchBox = document.getElementById("cg-search");
  var searchResult = document.getElementById("cg-search-result");
  var searchTimer = null;

  function search(query) {
    var wanted = fold(query).trim();
    if (wanted.length < 2) { network.unselectAll(); searchResult.textContent = ""; return []; }
    var found = [];
    searchText.forEach(function (text, id) { if (text.indexOf(wanted) >= 0) { found.push(id); } });
    var toOpen = new Set();
    found.forEach(function (id) {
      if (!nodes.get(id)) { (groupsOf.get(id) || []).slice(0, 1).forEach(function (g) { toOpen.add(g); }); }
    });
    if (toOpen.size <= 20) { expandMany(Array.from(toOpen)); }
    var shown = found.filter(function (id) { return nodes.get(id); });
    network.selectNodes(shown);
    if (shown.length) { network.fit({ nodes: shown, animation: { duration: 400 } }); }
    searchResult.textContent = shown.length + " kết quả";
    return shown;
  }
  api.search = search;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 200);
  });

  updateCount();
})();
