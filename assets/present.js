/* Presentation mode (pages/present.py): moving between slides in the browser, so a key press never waits
   on the server, and the full-screen button. Dash loads every file in assets/ on every page; nothing here
   acts unless the slide deck is on the page. */
(function () {
    "use strict";

    var DECK = "present-deck";
    var KEY_STORE = "present-key";
    var REDRAW_STORE = "present-redraw";
    var FULLSCREEN = "present-fullscreen";
    var LEAVE = "present-leave";

    function clientside() {
        return window.dash_clientside;
    }

    // The query with slide=N first and the filters kept as they were written (URLSearchParams would
    // encode the commas between district codes). "priority" only chose the first slide, so it goes.
    function searchWithSlide(search, slideNumber) {
        var kept = search.replace(/^\?/, "").split("&").filter(function (part) {
            var name = part.split("=")[0];
            try {
                name = decodeURIComponent(name);
            } catch (malformed) {
                // a stray "%" in a hand-typed link: compare the name as written
            }
            return part && name !== "slide" && name !== "priority";
        });
        return "?" + ["slide=" + slideNumber].concat(kept).join("&");
    }

    // The figures' sizes (components/charts.py PRESENTATION) are made for the deck's 24 px text at
    // 1280x720; on a larger screen the text grows (assets/present.css), and the charts grow with it.
    var DESIGN_FONT_PX = 24;

    function scaledFigure(figure, scale) {
        var copy = JSON.parse(JSON.stringify(figure)); // a new figure, so dcc.Graph draws it afresh
        var layout = copy.layout;
        function px(value) {
            return typeof value === "number" ? Math.round(value * scale) : value;
        }
        if (layout.font) {
            layout.font.size = px(layout.font.size);
        }
        if (layout.margin) {
            Object.keys(layout.margin).forEach(function (side) { layout.margin[side] = px(layout.margin[side]); });
        }
        (layout.annotations || []).forEach(function (note) {
            if (note.font) {
                note.font.size = px(note.font.size);
            }
            note.ax = px(note.ax);
            note.ay = px(note.ay);
        });
        copy.data.forEach(function (trace) {
            if (trace.line) {
                trace.line.width = px(trace.line.width);
            }
            if (trace.marker) {
                trace.marker.size = px(trace.marker.size);
            }
        });
        return copy;
    }

    function chartScale() {
        var deck = document.getElementById(DECK);
        var fontPx = deck ? parseFloat(window.getComputedStyle(deck).fontSize) : DESIGN_FONT_PX;
        return Math.max(1, fontPx / DESIGN_FONT_PX);
    }

    // Show another slide: which one, the URL, the counter and what a screen reader hears. Its charts are
    // drawn by draw() once this has been painted, so the words appear at once, not after plotly.js.
    function move(previousClicks, nextClicks, key, current, deck) {
        var dc = clientside();
        var context = dc.callback_context;
        var count = deck.labels.length;
        var trigger = (context.triggered || []).map(function (t) { return t.prop_id; })[0] || "";
        var target;
        if (trigger.indexOf("present-previous.") === 0) {
            target = current - 1;
        } else if (trigger.indexOf("present-next.") === 0) {
            target = current + 1;
        } else if (trigger.indexOf(KEY_STORE + ".") === 0 && key) {
            target = {next: current + 1, previous: current - 1, first: 0, last: count - 1}[key.action];
        }
        if (target === undefined) {
            // The first call, as the deck arrives: only tidy the URL (the server drew the rest).
            replaceSlideInUrl(current);
            throw dc.PreventUpdate;
        }
        target = Math.max(0, Math.min(count - 1, target));
        if (target === current) {
            throw dc.PreventUpdate; // already at the first or the last slide
        }
        replaceSlideInUrl(target);
        return [
            target,
            context.outputs_list[1].map(function (output) { return output.id.index !== target; }),
            "Slide " + (target + 1) + " of " + count,
            deck.labels[target],
            true, // notices about the link go once the presenter moves on
            target === 0 ? "true" : "false",
            target === count - 1 ? "true" : "false",
        ];
    }

    function replaceSlideInUrl(index) {
        var search = searchWithSlide(window.location.search, index + 1);
        if (search !== window.location.search) {
            // Replace, not push: the back button leaves the presentation instead of stepping through it.
            window.history.replaceState(window.history.state, "", window.location.pathname + search);
        }
    }

    // Draw the charts of the slide shown, scaled to the screen: when the deck arrives, after each move,
    // and when the screen changes size. Other slides' graphs are left as they are.
    function draw(current, redraw, deck) {
        var dc = clientside();
        var outputs = dc.callback_context.outputs_list;
        return new Promise(function (resolve) {
            // Let the browser paint the slide's words first.
            window.requestAnimationFrame(function () {
                window.setTimeout(function () {
                    var scale = chartScale();
                    resolve(outputs.map(function (output) {
                        return output.id.slide === current
                            ? scaledFigure(deck.figures[current][output.id.chart], scale)
                            : dc.no_update;
                    }));
                }, 0);
            });
        });
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {present: {move: move, draw: draw}});

    var ACTIONS = {
        ArrowRight: "next",
        PageDown: "next",
        ArrowLeft: "previous",
        PageUp: "previous",
        Home: "first",
        End: "last",
    };

    document.addEventListener("keydown", function (event) {
        if (!document.getElementById(DECK) || event.altKey || event.ctrlKey || event.metaKey) {
            return; // Alt+Left is the browser's back; Escape is never handled, so it leaves full screen
        }
        var target = event.target instanceof Element ? event.target : document.body;
        if (target.closest("input, textarea, select, [contenteditable]")) {
            return;
        }
        var action = ACTIONS[event.key];
        if (event.key === " " || event.key === "Spacebar") {
            if (target.closest("button, a, summary")) {
                return; // Space presses the focused button or link, as it always does
            }
            action = event.shiftKey ? "previous" : "next";
        }
        if (!action) {
            return;
        }
        event.preventDefault();
        clientside().set_props(KEY_STORE, {data: {action: action, at: Date.now()}});
    });

    function showFullscreenState() {
        var button = document.getElementById(FULLSCREEN);
        if (!button) {
            return;
        }
        var on = Boolean(document.fullscreenElement);
        clientside().set_props(FULLSCREEN, {
            children: on ? "Exit full screen" : "Full screen",
            "aria-pressed": on ? "true" : "false",
        });
    }

    // A plain listener, not a callback: browsers allow full screen only in answer to the user's own click.
    document.addEventListener("click", function (event) {
        var clicked = event.target instanceof Element ? event.target : null;
        if (clicked && clicked.closest("#" + LEAVE) && document.fullscreenElement) {
            document.exitFullscreen(); // the rest of the dashboard is not made for full screen
            return;
        }
        var button = clicked && clicked.closest("#" + FULLSCREEN);
        if (!button) {
            return;
        }
        if (document.fullscreenElement) {
            document.exitFullscreen();
        } else if (document.fullscreenEnabled) {
            document.documentElement.requestFullscreen().catch(function () {
                clientside().set_props(FULLSCREEN, {children: "Full screen is not available here"});
            });
        }
    });
    // Escape, F11 or the button: the label follows whatever changed full screen.
    document.addEventListener("fullscreenchange", showFullscreenState);

    // Full screen, a window dragged to the projector: once the size settles, redraw the charts to scale.
    var resizeTimer = null;
    window.addEventListener("resize", function () {
        if (!document.getElementById(DECK)) {
            return;
        }
        window.clearTimeout(resizeTimer);
        resizeTimer = window.setTimeout(function () {
            if (document.getElementById(DECK)) { // the presenter may have left meanwhile
                clientside().set_props(REDRAW_STORE, {data: Date.now()});
            }
        }, 150);
    });
})();
