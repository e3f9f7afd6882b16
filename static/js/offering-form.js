// The offering form's product types follow the chosen instrument: options of other
// instruments are hidden and disabled (the server refuses a mismatch anyway).
document.addEventListener("DOMContentLoaded", () => {
  const instrument = document.getElementById("id_instrument");
  const product = document.getElementById("id_product_type");
  if (!instrument || !product) return;
  const follow = () => {
    for (const option of product.options) {
      const fits = !option.dataset.instrument || !instrument.value
        || option.dataset.instrument === instrument.value;
      option.hidden = !fits;
      option.disabled = !fits;
    }
    if (product.selectedOptions[0] && product.selectedOptions[0].disabled) product.value = "";
  };
  instrument.addEventListener("change", follow);
  follow();
});
