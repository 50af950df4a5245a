import "./zerodown-review.js";

const review = document.getElementById("review");
const diff = document.getElementById("diff");
const globs = document.getElementById("globs");
const schema = document.getElementById("schema");
const apply = () => {
  review.setAttribute("globs", globs.value);
  review.schema = schema.value.trim() ? schema.value : null; // read once, until it changes
  review.diff = diff.value;
};
document.getElementById("form").addEventListener("submit", (e) => {
  e.preventDefault();
  apply();
});
diff.value = await (await fetch("example.diff")).text();
apply();
