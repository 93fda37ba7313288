/* The data page's upload box (pages/data.py): dcc.Upload renders its file input without a label, so a
   screen reader announces an unnamed control. Name it after the visible text as soon as it appears.
   Dash loads every file in assets/ on every page; nothing here acts unless an upload box is on the page. */
(function () {
    "use strict";

    var LABEL = "Choose a return to upload: an .xlsx workbook, or a .zip of CSV files";

    function labelUploadInputs(root) {
        var inputs = root.querySelectorAll(".upload-drop input[type=file]:not([aria-label])");
        for (var i = 0; i < inputs.length; i += 1) {
            inputs[i].setAttribute("aria-label", LABEL);
        }
    }

    function start() {
        labelUploadInputs(document);
        new MutationObserver(function () {
            labelUploadInputs(document);
        }).observe(document.body, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
