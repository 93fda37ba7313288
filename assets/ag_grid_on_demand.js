/* AG Grid's code is loaded when a page first shows a grid, not by every page before Dash can start: its main
   bundle is 1.3 MB (0.36 MB compressed), and the overview, the districts matrix and the slides have no grid.
   The server leaves it out of the page's scripts (shell.load_ag_grid_on_demand) and names its URL in the
   page's "on-demand-scripts" data. Until it has loaded, window.dash_ag_grid is this stand-in: Dash renders
   its AgGrid, which keeps the grid's place (assets/dashboard.css) and then renders dash-ag-grid's own AgGrid
   with the same properties. The library's namespace is kept aside when it loads, so the component Dash
   renders never changes type (which would build the grid twice); its functions are passed through. */
(function () {
    "use strict";

    var data = document.getElementById("on-demand-scripts");
    if (!data || window.dash_ag_grid || !window.React) {
        return;
    }
    var url = JSON.parse(data.textContent).dash_ag_grid;
    var React = window.React;
    var library = null; // dash-ag-grid's own namespace, once its code has run
    var loading = null;

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = url;
                script.addEventListener("load", function () {
                    return library ? resolve(library) : reject(new Error(url + " did not define dash_ag_grid"));
                });
                script.addEventListener("error", function () { reject(new Error(url + " did not load")); });
                document.head.appendChild(script);
            });
            // A failed load is tried again by the next grid shown (a filter change, another page).
            loading.catch(function () { loading = null; });
        }
        return loading;
    }

    function AgGrid(props) {
        var state = React.useState(library);
        var loaded = state[0];
        var setLoaded = state[1];
        var failure = React.useState(false);
        React.useEffect(function () {
            if (loaded) {
                return undefined;
            }
            var mounted = true;
            load().then(function (namespace) {
                if (mounted) {
                    setLoaded(namespace);
                }
            }, function () {
                if (mounted) {
                    failure[1](true);
                }
            });
            return function () { mounted = false; };
        }, [loaded]);
        if (loaded) {
            return React.createElement(loaded.AgGrid, props);
        }
        if (failure[0]) {
            // Said in words where the table would be, rather than an empty box that never fills.
            return React.createElement(
                "div",
                {id: props.id, className: "alert alert-warning", role: "alert"},
                "The table could not be loaded. Check the connection and reload the page."
            );
        }
        // The grid's own box while its code loads: the same id, class and style, marked so that the
        // stylesheet keeps room for the grid and the benchmark waits for it (benchmarks/browser.py).
        return React.createElement("div", {
            id: props.id,
            className: props.className,
            style: props.style,
            "data-grid-loading": "",
        });
    }
    // What Dash reads from a component class (as dash-ag-grid's AgGrid declares them): it passes
    // dashRenderType to components that have it, and persistence settings come from dashPersistence.
    AgGrid.dashRenderType = true;
    Object.defineProperty(AgGrid, "dashPersistence", {
        get: function () {
            return library
                ? library.AgGrid.dashPersistence
                : {persisted_props: ["selectedRows"], persistence_type: "local"};
        },
    });

    var standIn = {
        AgGrid: AgGrid,
        getApi: function (id) {
            if (!library) {
                throw new Error("no grid found, or grid is not initialized yet, with id: " + id);
            }
            return library.getApi(id);
        },
        getApiAsync: function (id) {
            return load().then(function (namespace) { return namespace.getApiAsync(id); });
        },
    };

    // dash-ag-grid's code ends by assigning window.dash_ag_grid, and its grid code adds to it: the first
    // is kept aside as the library, the rest is set on the stand-in as it would have been on the library.
    Object.defineProperty(window, "dash_ag_grid", {
        configurable: true,
        enumerable: true,
        get: function () { return standIn; },
        set: function (namespace) {
            if (namespace !== standIn && !library) {
                library = namespace;
                Object.keys(namespace).forEach(function (name) {
                    if (name !== "AgGrid" && !(name in standIn)) {
                        standIn[name] = namespace[name];
                    }
                });
            }
        },
    });
})();
