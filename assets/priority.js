/* Priority page (pages/priority.py): the trend charts after the first few are drawn when they are about
   to be scrolled into view, or before the page is printed, so a priority with dozens of indicators opens
   as quickly as one with a handful. Their figures wait in a dcc.Store; plotly.js draws each into the box
   kept for it, so nothing moves. Dash loads every file in assets/ on every page; nothing here acts unless
   a priority page hands it charts. */
(function () {
    "use strict";

    var SLOT = "[data-chart]";
    // Draw a chart when it comes within half a screen of the window, so scrolling rarely meets an empty box.
    var MARGIN = "50% 0px";
    // Frames to wait for Dash to put a new page's boxes in the document.
    var PATIENCE = 60;

    var observer = null;
    var waiting = {}; // indicator code -> figure
    var config = {};

    function drawInto(slot) {
        var code = slot.getAttribute("data-chart");
        var figure = waiting[code];
        if (!figure) {
            return;
        }
        delete waiting[code];
        if (observer) {
            observer.unobserve(slot);
        }
        window.Plotly.newPlot(slot, figure.data, figure.layout, config);
    }

    function drawAll() {
        document.querySelectorAll(SLOT).forEach(drawInto);
    }

    function observe(slots) {
        if (!("IntersectionObserver" in window)) {
            slots.forEach(drawInto);
            return;
        }
        observer = new IntersectionObserver(function (entries) {
            entries.forEach(function (entry) {
                if (entry.isIntersecting) {
                    drawInto(entry.target);
                }
            });
        }, {rootMargin: MARGIN});
        slots.forEach(function (slot) { observer.observe(slot); });
    }

    // Called with the page's charts each time a priority page arrives (a new page or a filter change);
    // returns how many wait to be drawn.
    function watch(charts) {
        if (observer) {
            observer.disconnect();
            observer = null;
        }
        waiting = Object.assign({}, (charts && charts.figures) || {});
        config = (charts && charts.config) || {};
        var expected = Object.keys(waiting).length;
        var frames = 0;
        function whenInDocument() {
            var slots = document.querySelectorAll(SLOT);
            if (slots.length < expected && frames++ < PATIENCE) {
                window.requestAnimationFrame(whenInDocument);
                return;
            }
            observe(slots);
        }
        if (expected) {
            window.requestAnimationFrame(whenInDocument);
        }
        return expected;
    }

    // Printing shows every chart, scrolled to or not: drawn now, before the browser lays out the pages.
    window.addEventListener("beforeprint", drawAll);

    window.dash_clientside = Object.assign({}, window.dash_clientside, {priority: {watch: watch}});
})();
