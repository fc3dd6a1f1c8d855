"""Mesa's own SolaraViz page of our model (a user's first try, Mesa's usual recipe): the browser
test serves it offline with ``solara run`` and checks that its plot is drawn."""

from mesa.visualization import SolaraViz, make_plot_component

from multivector.model import MultivectorModel

model = MultivectorModel(steps=8)
page = SolaraViz(model, components=[make_plot_component("autonomy")],
                 model_params={"strategy": {"type": "Select", "value": "hedge", "values": ["hedge", "balance"],
                                            "label": "strategy"}},
                 name="Multivector in SolaraViz")
