/* SPDX-License-Identifier: Apache-2.0 */
/* The signing page (portal /tandatangan/ID): the signature box dragged
 * on the page previews.  Without this file the page and position fields
 * are typed; with it they follow the box.  Positions are PDF points from
 * the page's lower-left corner (the box's lower-left corner). */
(function () {
	"use strict";
	function place(doc) {
		var i = doc.getAttribute("data-doc");
		var bw = parseFloat(doc.getAttribute("data-boxw"));
		var bh = parseFloat(doc.getAttribute("data-boxh"));
		var pages = doc.querySelectorAll(".sign-page img");
		var wrap = doc.querySelector(".sign-pages");
		if (!pages.length || !wrap) return;
		var box = document.createElement("div");
		box.className = "sign-box";
		box.id = "kotak-" + i;
		box.textContent = doc.getAttribute("data-label") || "TTE";
		box.setAttribute("role", "img");
		wrap.appendChild(box);
		var fHal = document.getElementById("hal_" + i);
		var fX = document.getElementById("x_" + i);
		var fY = document.getElementById("y_" + i);
		var fTag = document.getElementById("penanda_" + i);
		function scaleOf(img) {
			return img.getBoundingClientRect().width / parseFloat(img.getAttribute("data-wpt"));
		}
		/* Box at the fields' page and position. */
		function fromFields() {
			var n = parseInt(fHal.value, 10) || 1;
			var img = pages[Math.min(Math.max(n, 1), pages.length) - 1];
			var s = scaleOf(img), wr = wrap.getBoundingClientRect(), r = img.getBoundingClientRect();
			var hpt = parseFloat(img.getAttribute("data-hpt"));
			box.style.width = (bw * s) + "px";
			box.style.height = (bh * s) + "px";
			box.style.left = (r.left - wr.left + parseFloat(fX.value || 0) * s) + "px";
			box.style.top = (r.top - wr.top + (hpt - parseFloat(fY.value || 0) - bh) * s) + "px";
		}
		/* Fields from where the box is: the page under its centre. */
		function toFields() {
			var b = box.getBoundingClientRect(), cx = b.left + b.width / 2, cy = b.top + b.height / 2;
			var k, img = pages[0];
			for (k = 0; k < pages.length; k++) {
				var r = pages[k].getBoundingClientRect();
				if (cy >= r.top && cy <= r.bottom) { img = pages[k]; break; }
			}
			var ir = img.getBoundingClientRect(), s = scaleOf(img);
			var hpt = parseFloat(img.getAttribute("data-hpt"));
			fHal.value = img.getAttribute("data-page");
			fX.value = ((b.left - ir.left) / s).toFixed(1);
			fY.value = (hpt - (b.bottom - ir.top) / s).toFixed(1);
			if (fTag) fTag.value = "";
			markerShown();
			void cx;
		}
		var drag = null;
		box.addEventListener("mousedown", function (e) {
			var b = box.getBoundingClientRect();
			drag = { dx: e.clientX - b.left, dy: e.clientY - b.top };
			e.preventDefault();
		});
		document.addEventListener("mousemove", function (e) {
			if (!drag) return;
			var wr = wrap.getBoundingClientRect();
			box.style.left = (e.clientX - drag.dx - wr.left) + "px";
			box.style.top = (e.clientY - drag.dy - wr.top) + "px";
		});
		document.addEventListener("mouseup", function () {
			if (!drag) return;
			drag = null;
			toFields();
		});
		[fHal, fX, fY].forEach(function (f) { f.addEventListener("change", fromFields); });
		/* A marker decides instead: the box only shows where it would go otherwise. */
		function markerShown() { box.className = fTag && fTag.value ? "sign-box off" : "sign-box"; }
		if (fTag) fTag.addEventListener("input", markerShown);
		window.addEventListener("resize", fromFields);
		var loaded = 0;
		Array.prototype.forEach.call(pages, function (img) {
			if (img.complete) loaded++;
			else img.addEventListener("load", fromFields);
		});
		fromFields();
	}
	Array.prototype.forEach.call(document.querySelectorAll(".sign-doc"), place);
})();
