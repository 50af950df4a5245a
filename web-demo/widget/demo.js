import "./zerodown-review.js";

const review = document.getElementById("review");
const diff = document.getElementById("diff");
const globs = document.getElementById("globs");
const apply = () => {
  review.setAttribute("globs", globs.value);
  review.diff = diff.value;
};
document.getElementById("form").addEventListener("submit", (e) => {
  e.preventDefault();
  apply();
});
diff.value = await (await fetch("example.diff")).text();
apply();
