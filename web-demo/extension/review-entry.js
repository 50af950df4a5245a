// The entry of extension/vendor/review.js: the widget's modules bundled by
// esbuild into one classic script (content scripts cannot be ES modules),
// handing content.js what it uses through one global.
import { BASE_CSS, TIMELINE_CSS, adoptStyles } from "../lib/styles.js";
import { parseUnifiedDiff } from "../widget/diff.js";
import { ReviewView, REVIEW_CSS } from "../widget/review.js";

globalThis.zerodownReview = { ReviewView, REVIEW_CSS, BASE_CSS, TIMELINE_CSS, adoptStyles, parseUnifiedDiff };
