# ---
# jupyter:
#   course:
#     quick:
#       NUM_EPOCHS: 1
#       TRAIN_SUBSET: 2000
#     measure:
#       sgd_step_difference: step_difference
#       toy_parameters: toy_parameters
#       toy_first_loss: losses[0]
#       toy_last_loss: losses[-1]
#       zero_grad_last_loss: with_reset[-1]
#       no_zero_grad_last_loss: without_reset[-1]
#       no_zero_grad_lower_epochs: len(lower)
#       no_zero_grad_first_lower: min(lower, default=0)
#       large_lr_diverged: large_lr_diverged
#       parameters: parameters
#       train_images: len(train_set)
#       test_images: len(test_set)
#       raw_pixel_mean: raw_mean
#       pixel_mean: pixel_mean
#       first_loss: epoch_losses[0]
#       last_loss: epoch_losses[-1]
#       test_accuracy: test_accuracy
#     expect:
#       quick:
#       - toy_parameters == 601
#       - sgd_step_difference < 1e-6
#       - toy_last_loss < toy_first_loss
#       - no_zero_grad_last_loss > 1.2 * zero_grad_last_loss
#       - no_zero_grad_first_lower == 4
#       - no_zero_grad_lower_epochs >= 5
#       - large_lr_diverged == 1
#       - parameters == 101770
#       - train_images == 60000
#       - test_images == 10000
#       - 0.12 < raw_pixel_mean < 0.14
#       - pixel_mean < -0.7
#       - test_accuracy >= 0.65
#       full:
#       - sgd_step_difference < 1e-6
#       - toy_parameters == 601
#       - toy_last_loss < toy_first_loss
#       - no_zero_grad_last_loss > 1.2 * zero_grad_last_loss
#       - no_zero_grad_first_lower == 4
#       - no_zero_grad_lower_epochs >= 5
#       - large_lr_diverged == 1
#       - parameters == 101770
#       - train_images == 60000
#       - test_images == 10000
#       - 0.12 < raw_pixel_mean < 0.14
#       - pixel_mean < -0.7
#       - last_loss < first_loss
#       - 0.96 <= test_accuracy <= 0.985
#     translations:
#       es:
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes que muestra el curso"
#         "# passes over the MNIST training images": "# pasadas por las imágenes de entrenamiento de MNIST"
#         "# how many MNIST training images to use (None: all 60000)": "# cuántas imágenes de entrenamiento de MNIST usar (None: las 60000)"
#         "# models this small train fastest on one CPU thread": "# modelos tan pequeños entrenan más rápido con un solo hilo de CPU"
#         "batches": "lotes"
#         "{toy_parameters} parameters": "{toy_parameters} parámetros"
#         "Move every parameter that has a gradient by −lr times it, then clear the gradient.": "Mueve cada parámetro que tenga gradiente −lr veces ese gradiente y después lo borra."
#         "# copies: the loop below trains `model` itself": "# copias: el bucle de abajo entrena el propio `model`"
#         "same weights as torch.optim.SGD:": "mismos pesos que torch.optim.SGD:"
#         "# 1. forward pass": "# 1. pasada hacia delante"
#         "# 2. loss": "# 2. pérdida"
#         "# forget the previous batch's gradients": "# borra los gradientes del lote anterior"
#         "# 3. backward pass": "# 3. pasada hacia atrás"
#         "# 4. update the weights": "# 4. actualiza los pesos"
#         "Epoch [{epoch + 1}/{num_epochs}]  mean {losses[-1]:.4f}  last batch {loss.item():.4f}": "Época [{epoch + 1}/{num_epochs}]  media {losses[-1]:.4f}  último lote {loss.item():.4f}"
#         "Toy example: mean of the epoch or last batch": "Ejemplo diminuto: media de la época o último lote"
#         "Mean of the epoch": "Media de la época"
#         "Last batch": "Último lote"
#         "after backward() number {call}: fc2.bias.grad = {model.fc2.bias.grad.item():+.4f}": "tras la {call}.ª llamada a backward(): fc2.bias.grad = {model.fc2.bias.grad.item():+.4f}"
#         "Train a fresh SimpleNN on the toy data; return the mean loss of every epoch.": "Entrena una SimpleNN nueva con los datos diminutos; da la pérdida media de cada época."
#         "# its own loss: later cells reuse the name": "# su propia pérdida: otras celdas usan el nombre"
#         "With zero_grad()": "Con zero_grad()"
#         "Without zero_grad()": "Sin zero_grad()"
#         "last epoch: {with_reset[-1]:.4f} with zero_grad(), {without_reset[-1]:.4f} without": "última época: {with_reset[-1]:.4f} con zero_grad(), {without_reset[-1]:.4f} sin él"
#         "epochs where the loss without zero_grad() is lower:": "épocas en que la pérdida sin zero_grad() es menor:"
#         "lr = {lr:<5}  epochs 1-5: ": "lr = {lr:<5}  épocas 1-5: "
#         "Train the toy network with the slider's learning rate and redraw its loss curve.": "Entrena la red diminuta con la lr del deslizador y redibuja su curva de pérdida."
#         "# undo Normalize(0.5, 0.5)": "# deshace Normalize(0.5, 0.5)"
#         "pixels before Normalize: mean {raw_mean:.2f}, standard deviation {raw_std:.2f}": "píxeles antes de Normalize: media {raw_mean:.2f}, desviación típica {raw_std:.2f}"
#         "pixels after Normalize:  mean {pixel_mean:.2f}, standard deviation {pixel_std:.2f}": "píxeles tras Normalize:    media {pixel_mean:.2f}, desviación típica {pixel_std:.2f}"
#         "training images,": "imágenes de entrenamiento,"
#         "batches of up to 64": "lotes de hasta 64"
#         "{parameters} parameters": "{parameters} parámetros"
#         "Train ``model`` for one pass over ``loader``; return the mean loss per sample.": "Entrena ``model`` durante una pasada por ``loader``; devuelve la pérdida media por muestra."
#         "Epoch [{epoch}/{NUM_EPOCHS}]  mean loss {train_loss:.4f}": "Época [{epoch}/{NUM_EPOCHS}]  pérdida media {train_loss:.4f}"
#         "last epoch's training loss {train_loss:.4f} · test accuracy {test_accuracy:.2%}": "pérdida de entrenamiento de la última época {train_loss:.4f} · exactitud en prueba {test_accuracy:.2%}"
#         "# a cell that needs an unwritten exercise says so in one line": "# una celda que necesita un ejercicio sin escribir lo dice en una línea"
#         "epochs": "épocas"
#     predictions:
#       backward_adds:
#         question: {es: "Calculas la pérdida del mismo lote y llamas a `backward()` tres veces seguidas (con una pasada hacia delante nueva cada vez), sin borrar nada entre medias. ¿Qué pasa con `fc2.bias.grad`?", en: "You compute the loss of the same batch and call `backward()` three times in a row (with a new forward pass each time), clearing nothing in between. What happens to `fc2.bias.grad`?"}
#         answer: b
#         options:
#           a: {es: "Se queda igual: cada `backward()` sustituye al anterior.", en: "It stays the same: each `backward()` replaces the previous one.", misconception: backward_replaces, why: {es: "`backward()` suma en `.grad`; solo `zero_grad()` lo borra.", en: "`backward()` adds into `.grad`; only `zero_grad()` clears it."}}
#           b: {es: "Se duplica y luego se triplica.", en: "It doubles, then triples.", why: {es: "Cada llamada suma el mismo gradiente a lo que ya había en `.grad`.", en: "Each call adds the same gradient to what `.grad` already held."}}
#           c: {es: "Da un error: `backward()` solo se puede llamar una vez.", en: "It raises an error: `backward()` can be called only once.", misconception: backward_only_once, why: {es: "Cada llamada tiene su propia pasada hacia delante y su propio grafo. Solo fallaría llamar otra vez a `backward()` sobre un grafo que ya se recorrió, porque el primer `backward()` lo libera.", en: "Each call has its own forward pass and its own graph. Only calling `backward()` again on a graph already gone through would fail, because the first `backward()` frees it."}}
#       no_zero_grad:
#         question: {es: "Entrenas la misma red, con la misma semilla y `lr = 0.01`, pero sin `optimizer.zero_grad()`. ¿Qué hace su pérdida en 20 épocas, frente a la del bucle con `zero_grad()`?", en: "You train the same network, with the same seed and `lr = 0.01`, but without `optimizer.zero_grad()`. What does its loss do over 20 epochs, against the loop with `zero_grad()`?"}
#         answer: c
#         options:
#           a: {es: "Lo mismo que con `zero_grad()`: `step()` ya usa el gradiente nuevo.", en: "The same as with `zero_grad()`: `step()` already uses the new gradient.", misconception: step_clears_gradients, why: {es: "Ni `step()` ni `backward()` borran `.grad`: cada paso usa la suma de todos los gradientes anteriores.", en: "Neither `step()` nor `backward()` clears `.grad`: every step uses the sum of all earlier gradients."}}
#           b: {es: "PyTorch lanza un error en el segundo lote.", en: "PyTorch raises an error on the second batch.", misconception: pytorch_guards_misuse, why: {es: "Acumular gradientes es legal (sirve para simular lotes grandes), así que PyTorch no se queja.", en: "Accumulating gradients is legal (it simulates large batches), so PyTorch does not complain."}}
#           c: {es: "Va a trompicones: durante unas épocas queda incluso por debajo, pero al final rebota y acaba muy por encima.", en: "It lurches: for some epochs it is even lower, but in the end it bounces back and ends well above.", why: {es: "Los pasos, cada vez más largos, primero bajan la pérdida más deprisa y luego se pasan de largo: nada frena la suma.", en: "The ever longer steps first bring the loss down faster, then overshoot: nothing brakes the sum."}}
#           d: {es: "Baja más despacio pero llega al mismo sitio.", en: "It falls more slowly but gets to the same place.", misconception: accumulation_only_slows, why: {es: "La suma hace los pasos más largos, no más cortos, y no deja de crecer: la pérdida acaba por encima.", en: "The sum makes the steps longer, not shorter, and never stops growing: the loss ends above."}}
#       large_lr:
#         question: {es: "Con `lr = 0.5` en vez de `0.01`, ¿qué hace la pérdida en las primeras épocas?", en: "With `lr = 0.5` instead of `0.01`, what does the loss do in the first epochs?"}
#         answer: b
#         options:
#           a: {es: "Baja más deprisa que con cualquier `lr` menor.", en: "It falls faster than with any smaller `lr`.", misconception: larger_lr_always_faster, why: {es: "Solo hasta cierto punto: con pasos demasiado largos se pasa del mínimo, cada vez por más.", en: "Only up to a point: with steps that are too long it overshoots the minimum by more each time."}}
#           b: {es: "Crece sin control hasta `inf` y `nan`: diverge.", en: "It grows out of control to `inf` and `nan`: it diverges.", why: {es: "Cada paso cae más lejos del mínimo que el anterior, y el error se multiplica: ya la media de la primera época sale `nan`.", en: "Each step lands farther from the minimum than the last, and the error multiplies: the mean of the very first epoch is already `nan`."}}
#           c: {es: "Lo mismo que con `0.1`: SGD limita el tamaño de los pasos.", en: "The same as with `0.1`: SGD caps the size of its steps.", misconception: optimizer_caps_steps, why: {es: "SGD da exactamente `lr` por el gradiente, sin tope.", en: "SGD steps exactly `lr` times the gradient, with no cap."}}
#     misconceptions:
#       backward_replaces: {es: "cree que `backward()` sustituye los gradientes en vez de sumarlos", en: "thinks `backward()` replaces the gradients instead of adding to them"}
#       backward_only_once: {es: "cree que `backward()` solo se puede llamar una vez", en: "thinks `backward()` can be called only once"}
#       step_clears_gradients: {es: "cree que `step()` o `backward()` borran los gradientes anteriores", en: "thinks `step()` or `backward()` clears the previous gradients"}
#       pytorch_guards_misuse: {es: "cree que PyTorch avisa de un bucle mal escrito", en: "thinks PyTorch warns about a badly written loop"}
#       accumulation_only_slows: {es: "cree que acumular gradientes solo frena el entrenamiento", en: "thinks accumulated gradients only slow training down"}
#       larger_lr_always_faster: {es: "cree que una tasa de aprendizaje mayor siempre aprende más deprisa", en: "thinks a larger learning rate always learns faster"}
#       optimizer_caps_steps: {es: "cree que el optimizador limita el tamaño de los pasos", en: "thinks the optimizer caps the size of its steps"}
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 01 · El bucle de entrenamiento
#
# Entrenar una red es repetir muchas veces el mismo puñado de líneas: el
# **bucle de entrenamiento**. En esta lección lo escribes a mano, primero
# sobre un problema diminuto y después sobre MNIST, y ves qué ocurre cuando
# falta una pieza o la tasa de aprendizaje es demasiado grande.
#
# Al terminar sabrás:
#
# - cuáles son los cuatro pasos de cada iteración y en qué orden van;
# - por qué se informa la pérdida media de la época y no la del último lote;
# - qué hace `optimizer.step()` por dentro, porque lo habrás escrito tú;
# - qué síntomas producen un `zero_grad()` olvidado y una tasa de aprendizaje excesiva;
# - escribir tu propia función `train_epoch` y entrenar con ella un clasificador de dígitos.

# %% [markdown] tags=["en"]
# # 01 · The training loop
#
# Training a network means repeating the same handful of lines many times:
# the **training loop**. In this lesson you write it by hand, first on a
# tiny problem and then on MNIST, and you see what happens when a piece is
# missing or the learning rate is too large.
#
# By the end you will know:
#
# - the four steps of every iteration and the order they go in;
# - why we report the epoch's mean loss rather than the last batch's;
# - what `optimizer.step()` does inside, because you will have written it;
# - what symptoms a forgotten `zero_grad()` and an excessive learning rate produce;
# - how to write your own `train_epoch` function and train a digit classifier with it.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 5  # passes over the MNIST training images
TRAIN_SUBSET = None  # how many MNIST training images to use (None: all 60000)
SEED = 0

# %%
import copy

import ipywidgets as widgets
import torch
from IPython.display import display
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import bars, checks, data, device, i18n, plots, seed
from course_utils.checks import sgd
from course_utils.checks import training as check

i18n.set_language(LANG)
checks.wait_for_exercises()  # a cell that needs an unwritten exercise says so in one line
torch.set_num_threads(1)  # models this small train fastest on one CPU thread
generator = seed.seed_everything(SEED)

# %% [markdown] tags=["es"]
# ## Los cuatro pasos
#
# Cada vez que el modelo ve un lote de ejemplos ocurre lo mismo:
#
# 1. **Pasada hacia delante** (*forward pass*): los datos atraviesan la red y salen las
#    predicciones.
# 2. **Pérdida**: una función compara las predicciones con los valores reales y da un número,
#    tanto mayor cuanto peor.
# 3. **Pasada hacia atrás** (*backpropagation*): `loss.backward()` calcula el gradiente de la
#    pérdida respecto a cada peso.
# 4. **Actualización**: `optimizer.step()` mueve cada peso un poco en contra de su gradiente.
#
# Alrededor de esos pasos hay siempre la misma estructura: primero se crean
# el modelo, la función de pérdida y el optimizador; luego se recorren los
# datos por lotes, época tras época; y, si se quiere, se evalúa el modelo
# con datos que no ha visto (lo harás en la lección 02).

# %% [markdown] tags=["en"]
# ## The four steps
#
# Every time the model sees a batch of examples, the same thing happens:
#
# 1. **Forward pass**: the data flows through the network and predictions come out.
# 2. **Loss**: a function compares the predictions with the true values and returns one number,
#    the larger the worse.
# 3. **Backward pass** (*backpropagation*): `loss.backward()` computes the gradient of the loss
#    with respect to every weight.
# 4. **Update**: `optimizer.step()` moves every weight a little against its gradient.
#
# Around those steps there is always the same structure: first you create
# the model, the loss function and the optimizer; then you go through the
# data in batches, epoch after epoch; and, optionally, you evaluate the
# model on data it has not seen (you will do that in lesson 02).

# %% [markdown] tags=["es"]
# ## Un ejemplo diminuto
#
# Empezamos con datos inventados: 100 ejemplos `X` de 10 números cada uno y
# un objetivo `y` de un número por ejemplo, ambos al azar. Un `DataLoader`
# los sirve en lotes de 10, barajados de nuevo en cada época.

# %% [markdown] tags=["en"]
# ## A tiny example
#
# We start with made-up data: 100 examples `X` of 10 numbers each and one
# target number `y` per example, both random. A `DataLoader` serves them in
# batches of 10, shuffled anew on every epoch.

# %%
X = torch.randn(100, 10)
y = torch.randn(100, 1)
toy_data = TensorDataset(X, y)
loader = DataLoader(toy_data, batch_size=10, shuffle=True, generator=generator)
print(X.shape, y.shape, len(loader), "batches")

# %% [markdown] tags=["es"]
# La red tiene una capa oculta de 50 neuronas con activación ReLU y una
# salida: 10 → 50 → 1.

# %% [markdown] tags=["en"]
# The network has one hidden layer of 50 neurons with a ReLU activation
# and one output: 10 → 50 → 1.


# %%
class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 50)
        self.fc2 = nn.Linear(50, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        return self.fc2(x)


# %% tags=["nbval-check-output"]
model = SimpleNN()
toy_parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"{toy_parameters} parameters")

# %% [markdown] tags=["es"]
# ## El paso de actualización, a mano
#
# `optimizer.step()` no tiene nada de mágico. El descenso de gradiente
# estocástico (SGD) mueve cada peso $w$ en contra de su gradiente:
#
# $$w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w}$$
#
# La tasa de aprendizaje `lr` no es la longitud del paso, sino el factor que
# multiplica al gradiente: el paso es más largo donde la pérdida tiene más
# pendiente.
#
# ### Ejercicio: un paso de SGD
#
# Escribe `sgd_step(parameters, lr)`, que recibe `model.parameters()` justo
# después de `loss.backward()`:
#
# - dentro de `with torch.no_grad():` (el cambio no debe entrar en el grafo,
#   y fuera de él PyTorch no deja cambiar en su sitio un tensor *hoja* que
#   pide gradientes, es decir, uno creado directamente y no calculado a partir
#   de otros, como los parámetros),
# - para cada parámetro `p` que tenga gradiente (`p.grad` no es `None`), haz
#   `p -= lr * p.grad`,
# - y borra después su gradiente (`p.grad = None`), para que el siguiente
#   `backward()` empiece de cero.
#
# Ojo: `model.parameters()` es un generador, y solo se puede recorrer una vez.

# %% [markdown] tags=["en"]
# ## The update step, by hand
#
# There is nothing magic about `optimizer.step()`. Stochastic gradient
# descent (SGD) moves every weight $w$ against its gradient:
#
# $$w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w}$$
#
# The learning rate `lr` is not the length of the step but the factor that
# multiplies the gradient: the step is longer where the loss is steeper.
#
# ### Exercise: one SGD step
#
# Write `sgd_step(parameters, lr)`, which receives `model.parameters()` right
# after `loss.backward()`:
#
# - inside `with torch.no_grad():` (the change must not enter the graph, and
#   outside it PyTorch does not let a *leaf* tensor that requires gradients
#   change in place, that is, one created directly rather than computed from
#   others, as parameters are),
# - for every parameter `p` that has a gradient (`p.grad` is not `None`), do
#   `p -= lr * p.grad`,
# - and then clear its gradient (`p.grad = None`), so that the next
#   `backward()` starts from zero.
#
# Beware: `model.parameters()` is a generator, and it can be gone through
# only once.


# %%
def sgd_step(parameters, lr: float) -> None:
    """Move every parameter that has a gradient by −lr times it, then clear the gradient."""
    ### BEGIN SOLUTION
    with torch.no_grad():
        for p in parameters:
            if p.grad is None:
                continue
            p -= lr * p.grad
            p.grad = None
    ### END SOLUTION


# %% tags=["check"]
sgd.sgd_step(sgd_step)

# %% [markdown] tags=["es"]
# Tu paso, al lado del de `torch.optim.SGD`, sobre dos copias de la red y el
# mismo lote:

# %% [markdown] tags=["en"]
# Your step, beside `torch.optim.SGD`'s, on two copies of the network and the
# same batch:

# %% tags=["nbval-check-output", "raises-exception"]
# copies: the loop below trains `model` itself
hand_model, torch_model = copy.deepcopy(model), copy.deepcopy(model)
for copied in (hand_model, torch_model):
    nn.functional.mse_loss(copied(X[:10]), y[:10]).backward()
sgd_step(hand_model.parameters(), lr=0.01)
torch.optim.SGD(torch_model.parameters(), lr=0.01).step()
pairs = zip(hand_model.parameters(), torch_model.parameters(), strict=True)
step_difference = max((hand_p - torch_p).abs().max().item() for hand_p, torch_p in pairs)
print("same weights as torch.optim.SGD:", step_difference < 1e-6)

# %% [markdown] tags=["es"]
# Ahora el bucle completo: error cuadrático medio (`MSELoss`) como pérdida,
# SGD con tasa de aprendizaje 0.01 y 20 épocas. Los números de los
# comentarios son los cuatro pasos. `optimizer.step()` hace lo que tu
# `sgd_step`, y `optimizer.zero_grad()` borra los gradientes. En el bucle se
# llama justo antes de `backward()`, que es lo habitual; vale cualquier sitio
# entre el `step()` anterior y el siguiente `backward()`. Entre `backward()`
# y `step()`, en cambio, borraría los gradientes recién calculados y el paso
# no movería nada.

# %% [markdown] tags=["en"]
# Now the whole loop: mean squared error (`MSELoss`) as the loss, SGD with
# learning rate 0.01, and 20 epochs. The numbers in the comments are the
# four steps. `optimizer.step()` does what your `sgd_step` did, and
# `optimizer.zero_grad()` clears the gradients. The loop calls it right
# before `backward()`, as is usual; anywhere between the previous `step()`
# and the next `backward()` works. Between `backward()` and `step()`,
# though, it would erase the gradients just computed and the step would
# move nothing.

# %%
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
num_epochs = 20
losses, last_batch_losses = [], []
for epoch in range(num_epochs):
    total_loss = 0.0
    for inputs, targets in loader:
        outputs = model(inputs)  # 1. forward pass
        loss = criterion(outputs, targets)  # 2. loss
        optimizer.zero_grad()  # forget the previous batch's gradients
        loss.backward()  # 3. backward pass
        optimizer.step()  # 4. update the weights
        total_loss += loss.item() * len(targets)
    losses.append(total_loss / len(toy_data))
    last_batch_losses.append(loss.item())
    print(f"Epoch [{epoch + 1}/{num_epochs}]  mean {losses[-1]:.4f}  last batch {loss.item():.4f}")

# %% [markdown] tags=["es"]
# ### ¿Por qué la media de la época?
#
# Muchos ejemplos imprimen `loss.item()` al final de la época: la pérdida
# del **último lote**, solo 10 ejemplos de 100, elegidos al azar por el
# barajado. Es un número ruidoso: sube y baja de una época a otra aunque el
# modelo mejore poco a poco. La **media de la época** resume los 100
# ejemplos; cada lote pesa según su número de muestras
# $n_b$, así que sigue siendo correcta si el último lote es más pequeño:
# $\bar L = \frac{1}{N}\sum_b n_b L_b$.
#
# Ten en cuenta que esa media se toma mientras los pesos cambian, así que
# describe la época entera y no el modelo final. Los objetivos `y` son puro
# azar: no hay nada que aprender de verdad, y si la pérdida baja es porque
# la red memoriza estos 100 ejemplos. El gráfico compara las dos curvas.

# %% [markdown] tags=["en"]
# ### Why the epoch's mean?
#
# Many examples print `loss.item()` at the end of the epoch: the loss of the
# **last batch**, only 10 examples out of 100, picked at random by the
# shuffle. It is a noisy number: it goes up and down from one epoch to the
# next even while the model slowly improves. The **epoch's mean** sums up all
# 100 examples; each batch weighs by its number of samples
# $n_b$, so it stays right when the last batch is smaller:
# $\bar L = \frac{1}{N}\sum_b n_b L_b$.
#
# Bear in mind that this mean is taken while the weights change, so it
# describes the whole epoch, not the final model. The targets `y` are pure
# chance: there is nothing real to learn, and if the loss goes down it is
# because the network memorizes these 100 examples. The plot compares both curves.

# %%
fig = plots.curves({"train_loss": losses}, title="Toy example: mean of the epoch or last batch")
ax = fig.axes[0]
ax.lines[0].set_label("Mean of the epoch")
ax.plot(range(1, num_epochs + 1), last_batch_losses, marker="x", label="Last batch")
ax.legend()

# %% [markdown] tags=["es"]
# ## Si olvidas `zero_grad()`

# %% [markdown] tags=["en"]
# ## If you forget `zero_grad()`

# %% [markdown] tags=["prediction"]
# backward_adds

# %% [markdown] tags=["es"]
# `loss.backward()` no sustituye los gradientes: los **suma** a los que ya
# había en `.grad`. Míralo con un mismo lote y tres llamadas seguidas: el
# gradiente del sesgo de salida se duplica con la segunda y se triplica con
# la tercera.

# %% [markdown] tags=["en"]
# `loss.backward()` does not replace the gradients: it **adds** them to
# whatever `.grad` already holds. See it with one batch and three calls in a
# row: the gradient of the output bias doubles with the second one and
# triples with the third.

# %%
inputs, targets = X[:10], y[:10]
model.zero_grad()
for call in range(1, 4):
    criterion(model(inputs), targets).backward()
    print(f"after backward() number {call}: fc2.bias.grad = {model.fc2.bias.grad.item():+.4f}")
model.zero_grad()

# %% [markdown] tags=["reveal"]
# backward_adds

# %% [markdown] tags=["es"]
# Para comparar entrenamientos hace falta empezar siempre igual. La función
# `toy_losses` repite el bucle de arriba con una red nueva, la misma semilla
# y una tasa de aprendizaje `lr` a elegir, y devuelve la pérdida media de
# cada época; `zero_grad=False` quita el borrado de gradientes.

# %% [markdown] tags=["en"]
# To compare training runs we must always start from the same point. The
# function `toy_losses` repeats the loop above with a fresh network, the
# same seed and a learning rate `lr` of our choice, and returns the mean
# loss of every epoch; `zero_grad=False` removes the gradient reset.


# %%
def toy_losses(lr: float, zero_grad: bool = True, num_epochs: int = 20) -> list[float]:
    """Train a fresh SimpleNN on the toy data; return the mean loss of every epoch."""
    torch.manual_seed(SEED)
    model, criterion = SimpleNN(), nn.MSELoss()  # its own loss: later cells reuse the name
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(SEED)
    loader = DataLoader(toy_data, batch_size=10, shuffle=True, generator=shuffle)
    losses = []
    for _epoch in range(num_epochs):
        total_loss = 0.0
        for inputs, targets in loader:
            loss = criterion(model(inputs), targets)
            if zero_grad:
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(targets)
        losses.append(total_loss / len(toy_data))
    return losses


# %% [markdown] tags=["prediction"]
# no_zero_grad

# %%
with_reset, without_reset = toy_losses(0.01), toy_losses(0.01, zero_grad=False)
fig = plots.curves({"train_loss": with_reset}, title="lr = 0.01")
ax = fig.axes[0]
ax.lines[0].set_label("With zero_grad()")
ax.plot(range(1, 21), without_reset, marker="x", label="Without zero_grad()")
ax.legend()
print(f"last epoch: {with_reset[-1]:.4f} with zero_grad(), {without_reset[-1]:.4f} without")
by_epoch = enumerate(zip(with_reset, without_reset, strict=True), start=1)
lower = [epoch for epoch, (with_loss, without_loss) in by_epoch if without_loss < with_loss]
print("epochs where the loss without zero_grad() is lower:", *lower)

# %% [markdown] tags=["reveal"]
# no_zero_grad

# %% [markdown] tags=["es"]
# Sin `zero_grad()`, cada paso usa la suma de **todos** los gradientes
# anteriores: es el *momento* (*momentum*) de un optimizador, pero sin que
# los gradientes viejos se olviden nunca. La suma crece y los pasos se
# alargan sin freno, como si la tasa de aprendizaje fuera subiendo, y la
# curva pasa por tres fases:
#
# - en las épocas 1 a 3 queda **por encima** de la correcta: los pasos,
#   cada vez más largos, se pasan de largo;
# - desde la época 4, y durante unas cuantas (la celda las enumera), queda
#   **por debajo**: esos pasos largos la bajan más deprisa;
# - al final nada frena la suma: la pérdida rebota y termina muy por encima
#   de la del bucle correcto.
#
# Unas épocas de ventaja no compensan un entrenamiento que se descontrola:
# por eso el borrado va en cada lote, antes de `loss.backward()`.

# %% [markdown] tags=["en"]
# Without `zero_grad()`, every step uses the sum of **all** previous
# gradients: it is an optimizer's *momentum*, but with old gradients never
# forgotten. The sum grows and the steps get longer without any brake, as if
# the learning rate kept rising, and the curve goes through three phases:
#
# - in epochs 1 to 3 it stays **above** the correct one: the ever longer
#   steps overshoot;
# - from epoch 4, and for a good few epochs (the cell lists them), it stays
#   **below**: those long steps bring it down faster;
# - in the end nothing brakes the sum: the loss bounces back and ends well
#   above the correct loop's.
#
# A few epochs ahead do not make up for a run that gets out of control:
# that is why the reset happens on every batch, before `loss.backward()`.

# %% [markdown] tags=["prediction"]
# large_lr

# %% [markdown] tags=["es"]
# ## Una tasa de aprendizaje demasiado grande
#
# Como en tu `sgd_step`, cada paso de SGD es `lr` veces el gradiente. Si
# `lr` es pequeña, la pérdida baja despacio; si es grande, baja más deprisa... hasta que los
# pasos se pasan de largo, la pérdida crece en vez de bajar y en unos pocos
# lotes los números se desbordan: `inf` (infinito) y luego `nan` (*not a
# number*). Eso es **divergir**.

# %% [markdown] tags=["en"]
# ## A learning rate that is too large
#
# As in your `sgd_step`, every SGD step is `lr` times the gradient. When
# `lr` is small, the loss goes down slowly; when it is larger, faster... until the steps
# overshoot, the loss grows instead of shrinking and within a few batches
# the numbers overflow: `inf` (infinity) and then `nan` (*not a number*).
# That is **diverging**.

# %%
for lr in (0.001, 0.01, 0.1, 0.5):
    runs = toy_losses(lr)
    print(f"lr = {lr:<5}  epochs 1-5: " + "  ".join(f"{v:8.4g}" for v in runs[:5]))
large_lr = toy_losses(0.5)
large_lr_diverged = not torch.isfinite(torch.tensor(large_lr[-1])) or large_lr[-1] > large_lr[0]

# %% [markdown] tags=["reveal"]
# large_lr

# %% [markdown] tags=["es"]
# Con 0.5 la pérdida revienta ya en la primera época. Entre medias, valores
# como 0.1 bajan más rápido que 0.01 pero dan tumbos. No hay una tasa buena
# para todo: depende del modelo, de los datos y del optimizador, y se elige
# probando, como harás ahora.
#
# ### Pruébalo tú
#
# Mueve el deslizador: cada vez que lo sueltas se entrena una red nueva con
# esa `lr` y se redibuja su curva de pérdida (el eje vertical es
# logarítmico). Si la pérdida se desborda, la curva se corta y la leyenda
# dice en qué época divergió. Busca a partir de qué valor la curva deja de bajar.

# %% [markdown] tags=["en"]
# With 0.5 the loss blows up within the first epoch. In between, values such
# as 0.1 go down faster than 0.01 but stagger. No rate is good for
# everything: it depends on the model, the data and the optimizer, and you
# pick it by trying, as you will now.
#
# ### Try it yourself
#
# Move the slider: every time you release it, a fresh network is trained
# with that `lr` and its loss curve is redrawn (the vertical axis is
# logarithmic). If the loss overflows, the curve stops and the legend says
# at which epoch it diverged. Find the value from which the curve stops going down.


# %%
def draw_toy_curve(change=None):
    """Train the toy network with the slider's learning rate and redraw its loss curve."""
    losses = toy_losses(lr_slider.value)
    fig = plots.curves({"train_loss": losses}, title=f"lr = {lr_slider.value:.3g}", log=True)
    curve_image.value = plots.png(fig)
    return fig


lr_slider = widgets.FloatLogSlider(value=0.01, min=-3, max=0, step=0.1, description="lr")
lr_slider.continuous_update = False
curve_image = widgets.Image(format="png")
lr_slider.observe(draw_toy_curve, names="value")
display(lr_slider, curve_image)
fig = draw_toy_curve()

# %% [markdown] tags=["es"]
# ## Ahora tú: MNIST
#
# MNIST son imágenes de 28×28 píxeles de dígitos escritos a mano. Como en la
# lección original, `Normalize((0.5,), (0.5,))` resta 0.5 a cada píxel y lo
# divide entre 0.5, y así lo lleva del intervalo 0..1 al -1..1. Esos 0.5 no
# son la media ni la desviación de MNIST: casi todos sus píxeles son fondo
# negro, y su media ronda 0.13, así que tras normalizar los datos no quedan
# centrados en 0 (la celda lo mide). Centrarlos de verdad pediría la media y
# la desviación de las imágenes de entrenamiento; aquí seguimos la lección
# original.
# `data.mnist_tensors` da exactamente los mismos tensores que `ToTensor()`
# seguido de `Normalize((0.5,), (0.5,))`, pero los calcula una sola vez y
# los guarda en memoria, así que cada época va mucho más rápida.

# %% [markdown] tags=["en"]
# ## Your turn: MNIST
#
# MNIST holds 28×28-pixel images of handwritten digits. As in the original
# lesson, `Normalize((0.5,), (0.5,))` subtracts 0.5 from every pixel and
# divides it by 0.5, which takes it from the range 0..1 to -1..1. Those 0.5
# are not MNIST's mean or standard deviation: most of its pixels are black
# background, and their mean is about 0.13, so after normalizing the data is
# not centred on 0 (the cell measures it). Really centring it would take the
# mean and deviation of the training images; here we follow the original
# lesson. `data.mnist_tensors` gives exactly the same tensors as
# `ToTensor()` followed by `Normalize((0.5,), (0.5,))`, but computes them
# once and keeps them in memory, so every epoch runs much faster.

# %% tags=["nbval-check-output"]
train_set = data.mnist_tensors(train=True, normalize=(0.5, 0.5))
test_set = data.mnist_tensors(train=False, normalize=(0.5, 0.5))
image, label = train_set[0]
print(len(train_set), len(test_set), tuple(image.shape), image.min().item(), image.max().item())

# %%
pixels = train_set.tensors[0]
pixel_mean, pixel_std = pixels.mean().item(), pixels.std().item()
raw_mean, raw_std = 0.5 * pixel_mean + 0.5, 0.5 * pixel_std  # undo Normalize(0.5, 0.5)
print(f"pixels before Normalize: mean {raw_mean:.2f}, standard deviation {raw_std:.2f}")
print(f"pixels after Normalize:  mean {pixel_mean:.2f}, standard deviation {pixel_std:.2f}")

# %%
dev = device.pick()
train_data = data.subset(train_set, TRAIN_SUBSET, seed=SEED)
train_loader = DataLoader(train_data, batch_size=64, shuffle=True, generator=generator)
test_loader = DataLoader(test_set, batch_size=1000)
print(len(train_data), "training images,", len(train_loader), "batches of up to 64")

# %% [markdown] tags=["es"]
# El modelo: cada imagen se aplana en 784 números, una capa oculta de 128
# neuronas con ReLU y 10 salidas, una por dígito. Esas salidas son
# *logits*: puntuaciones sin normalizar, y la mayor es la clase predicha.
#
# La pérdida es la **entropía cruzada**, `nn.CrossEntropyLoss`. Primero
# convierte los 10 logits $z_k$ de cada imagen en probabilidades con el
# **softmax**, $p_k = e^{z_k} / \sum_j e^{z_j}$: positivas y que suman 1.
# Después toma la probabilidad $p_y$ que el modelo da al dígito correcto
# $y$ y devuelve $-\log p_y$, promediado en el lote: tiende a 0 cuanto más
# seguro está el modelo de la respuesta correcta ($p_y$ cerca de 1), y crece
# sin límite cuanto menos probabilidad le da. Como el softmax va dentro de la pérdida, el modelo
# no termina en un softmax; la lección 03 lo comprueba a mano. El
# optimizador es Adam con tasa 0.001.

# %% [markdown] tags=["en"]
# The model: every image is flattened into 784 numbers, one hidden layer of
# 128 neurons with ReLU and 10 outputs, one per digit. Those outputs are
# *logits*: unnormalized scores, and the largest one is the predicted class.
#
# The loss is the **cross-entropy**, `nn.CrossEntropyLoss`. First it turns
# each image's 10 logits $z_k$ into probabilities with the **softmax**,
# $p_k = e^{z_k} / \sum_j e^{z_j}$: positive and adding up to 1. Then it
# takes the probability $p_y$ the model gives to the right digit $y$ and
# returns $-\log p_y$, averaged over the batch: it tends to 0 the surer the
# model is of the right answer ($p_y$ close to 1), and grows without bound
# the less probability it gives to it. Since the softmax is inside the loss, the model does not
# end in a softmax; lesson 03 checks it by hand. The optimizer is Adam with
# rate 0.001.

# %% tags=["nbval-check-output"]
torch.manual_seed(SEED)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"{parameters} parameters")

# %%
model = model.to(dev)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

# %% [markdown] tags=["es"]
# ### Ejercicio: una época de entrenamiento
#
# Escribe `train_epoch(model, loader, criterion, optimizer, device)`, que
# entrene el modelo durante una pasada completa por `loader` y devuelva la
# pérdida media por muestra de esa época (un `float`):
#
# - pon el modelo en modo entrenamiento con `model.train()`;
# - para cada lote `X, y` de `loader`: mueve los dos a `device`, calcula la pérdida de `model(X)`
#   frente a `y` y da los cuatro pasos en el orden correcto;
# - acumula `loss.item() * len(y)` y cuenta las muestras vistas;
# - al final devuelve el total dividido entre el número de muestras.
#
# La celda siguiente comprueba tu función en un problema diminuto y te dice
# qué falla si algo no está bien.

# %% [markdown] tags=["en"]
# ### Exercise: one training epoch
#
# Write `train_epoch(model, loader, criterion, optimizer, device)`, which
# trains the model for one full pass over `loader` and returns the mean loss
# per sample of that epoch (a `float`):
#
# - switch the model to training mode with `model.train()`;
# - for every batch `X, y` of `loader`: move both to `device`, compute the loss of `model(X)`
#   against `y` and take the four steps in the right order;
# - add up `loss.item() * len(y)` and count the samples seen;
# - at the end return the total divided by the number of samples.
#
# The next cell tries your function on a tiny problem and tells you what is
# wrong if something is off.


# %%
def train_epoch(model, loader, criterion, optimizer, device="cpu") -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per sample."""
    ### BEGIN SOLUTION
    model.train()
    total_loss, n_samples = 0.0, 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        n_samples += len(y)
    return total_loss / n_samples
    ### END SOLUTION


# %% tags=["check"]
check.train_epoch(train_epoch)

# %% [markdown] tags=["es"]
# ### Entrenar
#
# Con tu función, entrenar es un bucle corto sobre las épocas. Una barra
# muestra el avance y, al terminar cada época, se imprime su pérdida media.

# %% [markdown] tags=["en"]
# ### Training
#
# With your function, training is a short loop over the epochs. A bar
# shows the progress and each epoch prints its mean loss when it ends.

# %% tags=["raises-exception"]
epoch_losses = []
for epoch in bars.trange(1, NUM_EPOCHS + 1, desc="epochs"):
    train_loss = train_epoch(model, train_loader, criterion, optimizer, dev)
    epoch_losses.append(train_loss)
    print(f"Epoch [{epoch}/{NUM_EPOCHS}]  mean loss {train_loss:.4f}")

# %% [markdown] tags=["es"]
# ### Probar con imágenes nuevas
#
# La pérdida de entrenamiento solo dice cómo va el modelo con las imágenes
# que ya ha visto. Lo que de verdad cuenta son las 10 000 imágenes del
# **conjunto de prueba**, que nunca vio: en modo de evaluación (`model.eval()`,
# lo contrario de `model.train()`; con este modelo no cambia nada, pero sí con
# capas como el dropout de la lección 03) y sin gradientes
# (`torch.no_grad()`), la clase predicha es la salida mayor (`argmax`) y la
# **exactitud** es la fracción de aciertos. En la lección 02 convertirás
# esto en una función de evaluación completa.

# %% [markdown] tags=["en"]
# ### Testing on new images
#
# The training loss only says how the model does on images it has already
# seen. What really counts are the 10,000 images of the **test set**, which
# it never saw: in evaluation mode (`model.eval()`, the counterpart of
# `model.train()`; with this model it changes nothing, but it does with
# layers such as lesson 03's dropout) and without gradients
# (`torch.no_grad()`), the predicted class is the largest output (`argmax`)
# and the **accuracy** is the fraction of correct answers. In lesson 02 you
# will turn this into a complete evaluation function.

# %% tags=["raises-exception"]
model.eval()
correct = 0
with torch.no_grad():
    for X, y in test_loader:
        correct += (model(X.to(dev)).argmax(dim=1) == y.to(dev)).sum().item()
test_accuracy = correct / len(test_set)
print(f"last epoch's training loss {train_loss:.4f} · test accuracy {test_accuracy:.2%}")

# %% [markdown] tags=["es"]
# Tras cinco épocas la red acierta en torno al 97% de los dígitos del
# conjunto de prueba, que nunca vio durante el entrenamiento. Si ejecutas con menos épocas o
# menos imágenes (los parámetros del principio), la cifra baja.
#
# ## Resumen
#
# - Cada iteración da cuatro pasos: pasada hacia delante, pérdida, pasada hacia atrás y
#   actualización, con los gradientes borrados antes de `backward()`.
# - La pérdida media de la época, ponderada por el tamaño de cada lote, es mejor resumen que la
#   del último lote.
# - Sin `zero_grad()` los gradientes se acumulan; con una `lr` excesiva la pérdida diverge.
#
# En la lección 02 separarás un conjunto de **validación** para vigilar el
# entrenamiento y medirás el modelo con más métricas que la exactitud.

# %% [markdown] tags=["en"]
# After five epochs the network gets about 97% of the test digits right,
# digits it never saw during training. If you run with fewer epochs or fewer
# images (the parameters at the top), the figure drops.
#
# ## Summary
#
# - Every iteration takes four steps: forward pass, loss, backward pass and update, with the
#   gradients reset before `backward()`.
# - The epoch's mean loss, weighted by each batch's size, sums it up better than the last batch's
#   loss.
# - Without `zero_grad()` gradients pile up; with an excessive `lr` the loss diverges.
#
# In lesson 02 you will set aside a **validation** set to watch training,
# and measure the model with more metrics than accuracy.
