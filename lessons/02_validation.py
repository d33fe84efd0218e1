# ---
# jupyter:
#   course:
#     quick:
#       NUM_EPOCHS: 2
#       TRAIN_SUBSET: 2000
#     measure:
#       train_split: len(train_set)
#       val_split: len(val_set)
#       test_images: len(test_set)
#       parameters: parameters
#       untrained_val_loss: untrained_val_loss
#       untrained_val_acc: untrained_val_acc
#       best_epoch: best_epoch
#       best_val_loss: best_val_loss
#       best_val_acc: best_val_acc
#       first_gap: gaps[0]
#       last_gap: gaps[-1]
#       overfit_best_epoch: overfit_best_epoch
#       overfit_best_val_loss: min(val_losses)
#       overfit_last_val_loss: val_losses[-1]
#       restored_val_loss: restored_val_loss
#       overfit_best_val_acc: val_accs[overfit_best_epoch - 1]
#       overfit_last_val_acc: val_accs[-1]
#       val_loader_difference: differences["val_loader"]
#       small_loader_difference: differences["small_loader"]
#       val_macro_f1: f1
#       top1_is_9_as_4: top[0][:2] == (9, 4)
#       top2_is_3_as_8: top[1][:2] == (3, 8)
#       top5_from_3: sum(true == 3 for true, _pred, _count in top)
#       top1_over_twice_top2: top[0][2] > 2 * top[1][2]
#       lowest_precision_is_4: precision_per_class.argmin() == 4
#       test_loss: test_loss
#       test_accuracy: test_accuracy
#     expect:
#       quick:
#       - train_split == 50000
#       - val_split == 10000
#       - test_images == 10000
#       - parameters == 101770
#       - 2.1 < untrained_val_loss < 2.5
#       - 0.05 < untrained_val_acc < 0.2
#       - test_accuracy >= 0.5
#       - small_loader_difference > val_loader_difference
#       - overfit_best_epoch < 20
#       - restored_val_loss < overfit_last_val_loss - 0.05
#       - -1e-6 < restored_val_loss - overfit_best_val_loss < 1e-6
#       full:
#       - train_split == 50000
#       - val_split == 10000
#       - test_images == 10000
#       - parameters == 101770
#       - 2.1 < untrained_val_loss < 2.5
#       - 0.05 < untrained_val_acc < 0.2
#       - first_gap < 0 < last_gap
#       - 0.01 < last_gap < 0.03
#       - best_epoch == 10
#       - 0.14 <= best_val_loss <= 0.18
#       - 0.94 <= best_val_acc <= 0.97
#       - overfit_best_epoch == 9
#       - 0.50 <= overfit_last_val_loss <= 0.58
#       - 0.42 <= restored_val_loss <= 0.48
#       - restored_val_loss < overfit_last_val_loss - 0.05
#       - -1e-6 < restored_val_loss - overfit_best_val_loss < 1e-6
#       - -0.01 < overfit_last_val_acc - overfit_best_val_acc < 0.01
#       - best_val_loss < overfit_best_val_loss
#       - val_loader_difference < 0.001
#       - small_loader_difference >= 0.005
#       - 0.94 <= val_macro_f1 <= 0.97
#       - top1_is_9_as_4 == 1
#       - top1_over_twice_top2 == 1
#       - lowest_precision_is_4 == 1
#       - top2_is_3_as_8 == 1
#       - top5_from_3 == 3
#       - 0.95 <= test_accuracy <= 0.965
#       - -0.01 < test_accuracy - best_val_acc < 0.01
#     translations:
#       es:
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes que muestra el curso"
#         "# passes over the training images": "# pasadas por las imágenes de entrenamiento"
#         "# how many of the 50000 training images to use (None: all)": "# cuántas de las 50000 imágenes de entrenamiento usar (None: todas)"
#         "# models this small train fastest on one CPU thread": "# modelos tan pequeños entrenan más rápido en un solo hilo de la CPU"
#         "# The training loop you wrote in lesson 01, unchanged.": "# El bucle de entrenamiento que escribiste en la lección 01, sin cambios."
#         "Train ``model`` for one pass over ``loader``; return the mean loss per sample.": "Entrena ``model`` una pasada por ``loader``; devuelve la pérdida media por muestra."
#         "{len(full_train)} images -> {len(train_set)} training + {len(val_set)} validation": "{len(full_train)} imágenes -> {len(train_set)} de entrenamiento + {len(val_set)} de validación"
#         "test: {len(test_set)} images": "prueba: {len(test_set)} imágenes"
#         "validation batches:": "lotes de validación:"
#         "Return the mean loss per sample and the accuracy (0 to 1) of ``model`` on ``loader``.": "Devuelve la pérdida media por muestra y la exactitud (de 0 a 1) de ``model`` en ``loader``."
#         "{parameters} parameters": "{parameters} parámetros"
#         "before training: validation loss {untrained_val_loss:.4f}": "antes de entrenar: pérdida de validación {untrained_val_loss:.4f}"
#         "before training: validation accuracy {untrained_val_acc:.2%}": "antes de entrenar: exactitud de validación {untrained_val_acc:.2%}"
#         "Train for ``num_epochs``, validating after each; return the history of losses/accuracy.\n\n    With ``keep_best``, the model ends with the weights of its lowest validation loss.\n    ": "Entrena ``num_epochs`` épocas, validando tras cada una; devuelve el historial.\n\n    Con ``keep_best``, el modelo acaba con los pesos de su menor pérdida de validación.\n    "
#         "loss (training, validation) and validation accuracy per epoch:": "pérdida (entrenamiento, validación) y exactitud de validación por época:"
#         "epoch {epoch:2}:  {t_loss:.4f}  {v_loss:.4f}  {v_acc:.2%}": "época {epoch:2}:  {t_loss:.4f}  {v_loss:.4f}  {v_acc:.2%}"
#         "best epoch (lowest validation loss): {best_epoch}": "mejor época (menor pérdida de validación): {best_epoch}"
#         "test loss {test_loss:.4f} · test accuracy {test_accuracy:.2%}": "pérdida en prueba {test_loss:.4f} · exactitud en prueba {test_accuracy:.2%}"
#         "The original lesson's average: every batch counts the same, whatever its size.": "La media de la lección original: cada lote cuenta lo mismo, sea cual sea su tamaño."
#         "{len(loader.dataset)} images, {len(loader)} batches": "{len(loader.dataset)} imágenes, {len(loader)} lotes"
#         "{size:>25}:  per sample {per_sample:.5f} · per batch {per_batch:.5f}": "{size:>25}:  por muestra {per_sample:.5f} · por lote {per_batch:.5f}"
#         "Return the true labels and the predicted classes over ``loader`` (in eval mode).": "Devuelve las etiquetas reales y las clases predichas de ``loader`` (en modo evaluación)."
#         "macro precision {precision:.3f} · macro recall {recall:.3f} · macro F1 {f1:.3f}": "precisión macro {precision:.3f} · exhaustividad macro {recall:.3f} · F1 macro {f1:.3f}"
#         "{true} predicted as {pred}: {count} times": "{true} predicho como {pred}: {count} veces"
#         "Show up to 16 validation images of class true_menu.value predicted as pred_menu.value.": "Muestra hasta 16 imágenes de validación de clase true_menu.value predichas como pred_menu.value."
#         "validation loss at the last epoch ({len(val_losses)}): {val_losses[-1]:.4f}": "pérdida de validación en la última época ({len(val_losses)}): {val_losses[-1]:.4f}"
#         "after restoring the best epoch ({overfit_best_epoch}): {restored_val_loss:.4f}": "tras recuperar la mejor época ({overfit_best_epoch}): {restored_val_loss:.4f}"
#         "true": "real"
#         "the weights of epoch {best_epoch}, on the validation set:": "los pesos de la época {best_epoch}, en el conjunto de validación:"
#         "# a cell that needs an unwritten exercise says so in one line": "# una celda que necesita un ejercicio sin escribir lo dice en una línea"
#         "predicted": "predicha"
#     predictions:
#       last_batch:
#         question: {es: "`val_loader` reparte 10 000 imágenes en lotes de 32. ¿Cuántas imágenes trae el último lote?", en: "`val_loader` serves 10,000 images in batches of 32. How many images does the last batch hold?"}
#         answer: b
#         options:
#           a: {es: "32: el `DataLoader` rellena el último lote.", en: "32: the `DataLoader` pads the last batch.", misconception: loader_pads, why: {es: "El `DataLoader` nunca inventa ejemplos: el último lote trae los que quedan.", en: "A `DataLoader` never makes up examples: the last batch holds what is left."}}
#           b: {es: "16.", en: "16.", why: {es: "10 000 = 312 · 32 + 16, y por defecto (`drop_last=False`) el resto forma un lote más pequeño.", en: "10,000 = 312 · 32 + 16, and by default (`drop_last=False`) the rest makes a smaller batch."}}
#           c: {es: "No hay lote incompleto: el `DataLoader` descarta el resto.", en: "There is no short batch: the `DataLoader` drops the rest.", misconception: loader_drops_remainder, why: {es: "Solo lo descarta con `drop_last=True`; por defecto lo conserva.", en: "It drops it only with `drop_last=True`; by default it keeps it."}}
#       untrained:
#         question: {es: "La red recién creada, sin entrenar, con sus 10 salidas (una por dígito). ¿Qué exactitud de validación tendrá?", en: "The freshly created network, untrained, with its 10 outputs (one per digit). What validation accuracy will it get?"}
#         answer: b
#         options:
#           a: {es: "0%: todavía no sabe nada.", en: "0%: it knows nothing yet.", misconception: untrained_always_wrong, why: {es: "No saber nada es acertar al azar, no fallar siempre: más o menos 1 de cada 10.", en: "Knowing nothing means guessing, not always missing: roughly 1 in 10."}}
#           b: {es: "Alrededor del 10%, con una pérdida cercana a ln 10 ≈ 2.30.", en: "About 10%, with a loss near ln 10 ≈ 2.30.", why: {es: "Reparte la probabilidad casi por igual entre los 10 dígitos: acierta más o menos como el azar.", en: "It spreads the probability almost evenly over the 10 digits: it scores about like chance."}}
#           c: {es: "Alrededor del 50%: cada respuesta acierta o falla.", en: "About 50%: each answer is either right or wrong.", misconception: chance_is_half, why: {es: "El azar depende del número de clases: con 10, es 1 de cada 10.", en: "Chance depends on the number of classes: with 10, it is 1 in 10."}}
#       mean_of_means:
#         question: {es: "La media de las medias de cada lote, frente a la media por muestra, en `val_loader` y en las 100 imágenes: ¿dónde se alejan más?", en: "The mean of every batch's mean against the per-sample mean, on `val_loader` and on the 100 images: where do they differ more?"}
#         answer: c
#         options:
#           a: {es: "En ninguno: coinciden, porque una media de medias es la media.", en: "Nowhere: they match, since a mean of means is the mean.", misconception: mean_of_means_is_mean, why: {es: "Solo si todos los lotes tienen el mismo tamaño; si no, el lote pequeño pesa de más.", en: "Only if every batch has the same size; otherwise the short batch weighs too much."}}
#           b: {es: "En `val_loader`: con 313 lotes se acumula más error.", en: "On `val_loader`: with 313 batches more error piles up.", misconception: error_grows_with_batches, why: {es: "Con 313 lotes, uno solo desigual apenas mueve la media.", en: "With 313 batches, a single uneven one barely moves the mean."}}
#           c: {es: "En las 100 imágenes: el lote de 4 cuenta como si tuviera 32.", en: "On the 100 images: the batch of 4 counts as if it held 32.", why: {es: "Con cuatro lotes, el pequeño pesa una cuarta parte en vez de 4 de 100.", en: "With four batches, the short one weighs a quarter instead of 4 in 100."}}
#     misconceptions:
#       loader_pads: {es: "cree que el `DataLoader` rellena el último lote", en: "thinks the `DataLoader` pads the last batch"}
#       loader_drops_remainder: {es: "cree que el `DataLoader` descarta por defecto el lote incompleto", en: "thinks the `DataLoader` drops the short batch by default"}
#       untrained_always_wrong: {es: "cree que un modelo sin entrenar falla siempre", en: "thinks an untrained model is always wrong"}
#       chance_is_half: {es: "cree que acertar al azar es un 50% sea cual sea el número de clases", en: "thinks chance is 50% whatever the number of classes"}
#       mean_of_means_is_mean: {es: "cree que la media de las medias de lotes desiguales es la media", en: "thinks the mean of uneven batches' means is the mean"}
#       error_grows_with_batches: {es: "cree que más lotes acumulan más error en la media", en: "thinks more batches pile more error into the mean"}
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 02 · Validación y pruebas
#
# Una pérdida de entrenamiento que baja solo dice que el modelo se ajusta a
# las imágenes que ya ha visto. Para saber si **generaliza** hay que medirlo
# con datos que no ha usado para aprender. En esta lección separas un
# conjunto de validación, escribes la función que evalúa un modelo, entrenas
# vigilando la validación en cada época y, al final, haces la prueba una sola vez.
#
# Al terminar sabrás:
#
# - para qué sirve la validación y para qué la prueba, y por qué no se mezclan;
# - evaluar un modelo con `model.eval()` y `torch.no_grad()`, promediando por muestra;
# - guardar los pesos de la mejor época de validación;
# - leer la exactitud, la precisión, la exhaustividad, el F1 y una matriz de confusión.

# %% [markdown] tags=["en"]
# # 02 · Validation and testing
#
# A falling training loss only says that the model fits the images it has
# already seen. To know whether it **generalizes**, you must measure it on
# data it did not learn from. In this lesson you set aside a validation set,
# write the function that evaluates a model, train while watching validation
# after every epoch and, at the very end, run the test once.
#
# By the end you will know:
#
# - what validation is for and what testing is for, and why they do not mix;
# - how to evaluate a model with `model.eval()` and `torch.no_grad()`, averaging per sample;
# - how to keep the weights of the best validation epoch;
# - how to read accuracy, precision, recall, F1 and a confusion matrix.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 10  # passes over the training images
TRAIN_SUBSET = None  # how many of the 50000 training images to use (None: all)
SEED = 0

# %%
import copy

import ipywidgets as widgets
import torch
from IPython.display import display
from torch import nn
from torch.utils.data import DataLoader, random_split

from course_utils import bars, checks, data, device, i18n, metrics, plots, seed
from course_utils.checks import evaluation as check

i18n.set_language(LANG)
checks.wait_for_exercises()  # a cell that needs an unwritten exercise says so in one line
torch.set_num_threads(1)  # models this small train fastest on one CPU thread
generator = seed.seed_everything(SEED)
dev = device.pick()


# %%
# The training loop you wrote in lesson 01, unchanged.
def train_epoch(model, loader, criterion, optimizer, device="cpu") -> float:
    """Train ``model`` for one pass over ``loader``; return the mean loss per sample."""
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


# %% [markdown] tags=["es"]
# ## Validación frente a prueba
#
# | | Validación | Prueba |
# |---|---|---|
# | Para qué | Elegir hiperparámetros y detectar el sobreajuste | Medir el modelo final |
# | Datos | Una parte apartada del entrenamiento | Datos que nunca deciden nada |
# | Cuándo | Después de cada época | Una sola vez, al final |
#
# Los hiperparámetros son lo que decides tú y no aprende la red: el número
# de épocas, la tasa `lr`, el tamaño de la red... La prueba estima, sin
# trampas, cómo irá el modelo final con datos nuevos, y por eso la regla
# importante es la última columna: en cuanto usas la prueba para elegir
# algo (la época, la tasa de aprendizaje...), su resultado deja de ser una
# estimación honesta, porque has elegido justo lo que mejor le va a ese
# conjunto. Se ha convertido en otra validación.

# %% [markdown] tags=["en"]
# ## Validation versus testing
#
# | | Validation | Test |
# |---|---|---|
# | What for | Choosing hyperparameters, catching overfitting | Measuring the final model |
# | Data | A part set aside from training | Data that never decides anything |
# | When | After every epoch | Once, at the end |
#
# Hyperparameters are what you decide and the network does not learn: the
# number of epochs, the rate `lr`, the size of the network... The test gives
# an honest estimate of how the final model will do on new data, which is
# why the rule that matters is the last column: as soon as you use the test
# set to choose anything (the epoch, the learning rate...), its result stops
# being an honest estimate, because you picked exactly what suits that set
# best. It has become one more validation set.

# %% [markdown] tags=["es"]
# ## Los datos
#
# De las 60 000 imágenes de entrenamiento de MNIST apartamos 10 000 para
# validar con `random_split`; el generador con semilla hace que la partición
# sea la misma en cada ejecución. La prueba son las 10 000 imágenes de prueba
# oficiales de MNIST, que se recogieron aparte. Como en la lección 01,
# `data.mnist_tensors` da los mismos tensores que `ToTensor()` y
# `Normalize((0.5,), (0.5,))`, pero guardados en memoria y mucho más rápidos.

# %% [markdown] tags=["en"]
# ## The data
#
# Out of MNIST's 60,000 training images we set 10,000 aside for validation
# with `random_split`; the seeded generator makes the split the same on every
# run. The test set is MNIST's 10,000 test images, which were collected
# separately. As in lesson 01, `data.mnist_tensors` gives the same tensors
# as `ToTensor()` and `Normalize((0.5,), (0.5,))`, but held in memory and
# much faster.

# %% tags=["nbval-check-output"]
full_train = data.mnist_tensors(train=True, normalize=(0.5, 0.5))
test_set = data.mnist_tensors(train=False, normalize=(0.5, 0.5))
split_generator = torch.Generator().manual_seed(SEED)
train_set, val_set = random_split(full_train, [50_000, 10_000], generator=split_generator)
print(f"{len(full_train)} images -> {len(train_set)} training + {len(val_set)} validation")
print(f"test: {len(test_set)} images")

# %%
train_data = data.subset(train_set, TRAIN_SUBSET, seed=SEED)
train_loader = DataLoader(train_data, batch_size=32, shuffle=True, generator=generator)
val_loader = DataLoader(val_set, batch_size=32)
test_loader = DataLoader(test_set, batch_size=32)

# %% [markdown] tags=["prediction"]
# last_batch

# %% [markdown] tags=["es"]
# Los lotes son de 32 y 10 000 no es múltiplo de 32, así que el último lote
# de validación es más pequeño que los demás. Enseguida verás por qué importa.

# %% [markdown] tags=["en"]
# Batches hold 32 images and 10,000 is not a multiple of 32, so the last
# validation batch is smaller than the others. You will soon see why it matters.

# %% tags=["nbval-check-output"]
sizes = [len(y) for _X, y in val_loader]
print(len(sizes), "validation batches:", sizes[:2], "...", sizes[-2:])

# %% [markdown] tags=["reveal"]
# last_batch

# %% [markdown] tags=["es"]
# ## Evaluar un modelo
#
# La lección original escribe dos funciones, `validate` y `test`, que son
# copias exactas: lo único que cambia son los datos y el momento. Aquí
# escribes una sola, `evaluate`, y la llamas con `val_loader` en cada época
# y con `test_loader` una vez al final. Se parece al bucle de entrenamiento,
# con tres diferencias:
#
# - `model.eval()` pone en modo evaluación las capas que se comportan distinto al entrenar
#   (dropout, normalización por lotes: lecciones 03 y 04).
# - `torch.no_grad()` hace que no se registre el grafo de operaciones que necesitan los
#   gradientes: ahorra memoria y tiempo, y de esas operaciones no puede salir ningún gradiente
#   (`backward()` daría un error). No protege los pesos: un cambio hecho a mano en ellos o un
#   `step()` con gradientes antiguos los seguiría modificando.
# - No hay `backward()` ni `step()`: evaluar mide, no cambia los pesos.
#
# Dos detalles más corrigen a la lección original. La **pérdida** se suma
# por muestra y se divide entre el número de muestras $N$; dividir la suma
# de las medias de cada lote entre el número de lotes da al último lote
# (aquí de 16) el mismo peso que a uno de 32. Y la **exactitud** es una
# fracción entre 0 y 1; para verla como porcentaje basta con imprimirla con
# `:.2%`.

# %% [markdown] tags=["en"]
# ## Evaluating a model
#
# The original lesson writes two functions, `validate` and `test`, which are
# exact copies: only the data and the moment change. Here you write one,
# `evaluate`, and call it with `val_loader` after every epoch and with
# `test_loader` once at the end. It looks like the training loop, with
# three differences:
#
# - `model.eval()` switches to evaluation mode the layers that behave differently in training
#   (dropout, batch normalization: lessons 03 and 04).
# - `torch.no_grad()` stops the recording of the graph of operations that gradients need: it
#   saves memory and time, and no gradient can come out of those operations (`backward()` would
#   raise an error). It does not protect the weights: an in-place change to them or a `step()` on
#   stale gradients would still modify them.
# - There is no `backward()` and no `step()`: evaluating measures, it does not change the weights.
#
# Two more details fix the original lesson. The **loss** is summed per
# sample and divided by the number of samples $N$; dividing the sum of the
# batches' means by the number of batches gives the last batch (16 images
# here) the same weight as one of 32. And the **accuracy** is a fraction
# between 0 and 1; to see it as a percentage, just print it with
# `:.2%`.

# %% [markdown] tags=["es"]
# ### Ejercicio 1: `evaluate`
#
# Escribe `evaluate(model, loader, criterion, device)`, que devuelva dos
# números de Python: la pérdida media por muestra y la exactitud (de 0 a 1).
#
# - Pon el modelo en modo evaluación antes del bucle.
# - Recorre `loader` dentro de `torch.no_grad()`, moviendo `X` e `y` a `device`.
# - Suma `criterion(logits, y).item() * len(y)`, los aciertos de
#   `logits.argmax(dim=1)` y el número de muestras.
# - Devuelve la pérdida total y los aciertos, ambos divididos entre el número de muestras.

# %% [markdown] tags=["en"]
# ### Exercise 1: `evaluate`
#
# Write `evaluate(model, loader, criterion, device)`, returning two Python
# numbers: the mean loss per sample and the accuracy (from 0 to 1).
#
# - Switch the model to evaluation mode before the loop.
# - Go through `loader` inside `torch.no_grad()`, moving `X` and `y` to `device`.
# - Add up `criterion(logits, y).item() * len(y)`, the correct predictions of
#   `logits.argmax(dim=1)` and the number of samples.
# - Return the total loss and the correct predictions, both divided by the number of samples.


# %%
def evaluate(model, loader, criterion, device="cpu") -> tuple[float, float]:
    """Return the mean loss per sample and the accuracy (0 to 1) of ``model`` on ``loader``."""
    ### BEGIN SOLUTION
    model.eval()
    total_loss, correct, n_samples = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            logits = model(X)
            total_loss += criterion(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return total_loss / n_samples, correct / n_samples
    ### END SOLUTION


# %% tags=["check"]
check.evaluate(evaluate)

# %% [markdown] tags=["es"]
# ## El modelo, antes de entrenar
#
# La misma red que en la lección 01 (784 → 128 → 10 con ReLU), esta vez con
# SGD y tasa de aprendizaje 0.01, como en la solución original.

# %% [markdown] tags=["en"]
# ## The model, before training
#
# The same network as in lesson 01 (784 → 128 → 10 with ReLU), this time
# with SGD and learning rate 0.01, as in the original solution.

# %% tags=["nbval-check-output"]
torch.manual_seed(SEED)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"{parameters} parameters")

# %%
model = model.to(dev)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

# %% [markdown] tags=["prediction"]
# untrained

# %% [markdown] tags=["es"]
# Evaluar antes de entrenar es una buena comprobación. Una red recién
# creada reparte la probabilidad casi por igual entre los 10 dígitos, así
# que su pérdida de entropía cruzada ronda $\ln 10 \approx 2.30$ y acierta
# más o menos uno de cada diez.

# %% [markdown] tags=["en"]
# Evaluating before training is a good sanity check. A freshly created
# network spreads the probability almost evenly over the 10 digits, so its
# cross-entropy loss is about $\ln 10 \approx 2.30$ and it gets roughly one
# in ten right.

# %% tags=["raises-exception"]
untrained_val_loss, untrained_val_acc = evaluate(model, val_loader, criterion, dev)
print(f"before training: validation loss {untrained_val_loss:.4f}")
print(f"before training: validation accuracy {untrained_val_acc:.2%}")

# %% [markdown] tags=["reveal"]
# untrained

# %% [markdown] tags=["es"]
# ## Entrenar validando cada época
#
# `fit` entrena `num_epochs` épocas y guarda en `history` la pérdida de
# entrenamiento, la de validación y la exactitud de validación de cada una.
# Además lleva la cuenta de la **mejor época**, la de menor pérdida de
# validación, y con `keep_best=True` el modelo termina con los pesos de esa
# época. Eso es la mitad de la **parada temprana** (*early stopping*): la
# otra mitad es dejar de entrenar cuando la validación lleva unas cuantas
# épocas sin mejorar (la *paciencia*), para no gastar tiempo en épocas que
# ya no se usarán. `fit` no para: entrena siempre las `num_epochs` épocas y
# al final recupera la mejor.
#
# ### Ejercicio 2: el cuerpo del bucle de `fit`
#
# Escribe lo que ocurre en cada época; el resto de `fit` ya está hecho.
#
# - Entrena una época con `train_epoch` y añade su pérdida a `history["train_loss"]`.
# - Valida con `evaluate` sobre `val_loader` y añade la pérdida y la exactitud a
#   `history["val_loss"]` y `history["val_acc"]`.
# - Si la pérdida de validación es la menor hasta ahora, guárdala en `best_loss` y guarda en
#   `best_state` una **copia** de los pesos: `copy.deepcopy(model.state_dict())`.
#
# Sin la copia, `best_state` apuntaría a los mismos tensores que el modelo
# sigue cambiando. Y fíjate en lo que no aparece: los datos de prueba no
# intervienen en `fit`.

# %% [markdown] tags=["en"]
# ## Training with validation after every epoch
#
# `fit` trains for `num_epochs` epochs and stores in `history` the training
# loss, the validation loss and the validation accuracy of each one. It also
# keeps track of the **best epoch**, the one with the lowest validation
# loss, and with `keep_best=True` the model ends with that epoch's weights.
# That is half of **early stopping**: the other half is to stop training
# once validation has not improved for a few epochs (the *patience*), so as
# not to spend time on epochs that will not be used. `fit` does not stop: it
# always trains all `num_epochs` epochs and restores the best one at the end.
#
# ### Exercise 2: the body of `fit`'s loop
#
# Write what happens in every epoch; the rest of `fit` is already done.
#
# - Train one epoch with `train_epoch` and append its loss to `history["train_loss"]`.
# - Validate with `evaluate` on `val_loader` and append the loss and the accuracy to
#   `history["val_loss"]` and `history["val_acc"]`.
# - If the validation loss is the lowest so far, store it in `best_loss` and store in `best_state`
#   a **copy** of the weights: `copy.deepcopy(model.state_dict())`.
#
# Without the copy, `best_state` would point at the very tensors the model
# keeps changing. And notice what is missing: test data plays no part in
# `fit`.


# %%
def fit(
    model,
    train_loader,
    val_loader,
    criterion,
    optimizer,
    num_epochs,
    device="cpu",
    progress: bool = True,
    keep_best: bool = False,
) -> dict[str, list[float]]:
    """Train for ``num_epochs``, validating after each; return the history of losses/accuracy.

    With ``keep_best``, the model ends with the weights of its lowest validation loss.
    """
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_state = float("inf"), None
    epochs = bars.trange(num_epochs, disable=not progress)
    for _epoch in epochs:
        ### BEGIN SOLUTION
        history["train_loss"].append(train_epoch(model, train_loader, criterion, optimizer, device))
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_loss < best_loss:
            best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
        ### END SOLUTION
        epochs.set_postfix(val_loss=f"{history['val_loss'][-1]:.4f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


# %% tags=["check"]
check.fit(fit)

# %% [markdown] tags=["es"]
# ### Entrenar
#
# Con tus dos funciones, el entrenamiento completo es una llamada. La barra
# avanza una vez por época; debajo quedan las cifras de cada época y las
# curvas de aprendizaje.

# %% [markdown] tags=["en"]
# ### Training
#
# With your two functions, the whole training run is one call. The bar moves
# once per epoch; below it you get every epoch's figures and the learning
# curves.

# %% tags=["raises-exception"]
args = (model, train_loader, val_loader, criterion, optimizer, NUM_EPOCHS, dev)
history = fit(*args, keep_best=True)
columns = (history["train_loss"], history["val_loss"], history["val_acc"])
print("loss (training, validation) and validation accuracy per epoch:")
for epoch, (t_loss, v_loss, v_acc) in enumerate(zip(*columns, strict=True), start=1):
    print(f"epoch {epoch:2}:  {t_loss:.4f}  {v_loss:.4f}  {v_acc:.2%}")
best_epoch = 1 + history["val_loss"].index(min(history["val_loss"]))
print(f"best epoch (lowest validation loss): {best_epoch}")
fig = plots.curves(history)
gaps = [v_loss - t_loss for t_loss, v_loss, _acc in zip(*columns, strict=True)]
best_val_loss = history["val_loss"][best_epoch - 1]
best_val_acc = history["val_acc"][best_epoch - 1]

# %% [markdown] tags=["es"]
# ### Leer las curvas
#
# En la primera época la pérdida de entrenamiento sale **por encima** de la
# de validación. No es un error: `train_epoch` promedia mientras la red
# aprende, desde los pesos aleatorios, y la validación se mide al final de
# la época, con la red ya mejorada.
#
# Después, las dos curvas bajan juntas y, en las últimas épocas, la de
# entrenamiento queda un poco por debajo de la de validación (en la última,
# a unas dos centésimas): la red ya rinde algo mejor con las imágenes que ve
# que con las nuevas. Esa separación es la **brecha de generalización**
# (*generalization gap*), y es normal; todavía no es **sobreajuste**.
# Mientras la pérdida de validación siga bajando, entrenar más sigue
# mejorando el modelo con datos nuevos. Hablamos de sobreajuste cuando la
# de validación se estanca o sube mientras la de entrenamiento sigue
# bajando. Con SGD y `lr` 0.01, en 10 épocas la pérdida de validación aún
# no deja de bajar, así que la mejor época es la última y `keep_best` no ha
# cambiado nada: ha recuperado los pesos que el modelo ya tenía. En la
# sección siguiente sí los cambia.

# %% [markdown] tags=["en"]
# ### Reading the curves
#
# In the first epoch the training loss comes out **above** the validation
# loss. That is no bug: `train_epoch` averages while the network learns,
# starting from random weights, and validation is measured at the end of
# the epoch, with the network already improved.
#
# Then both curves go down together and, in the last epochs, the training
# curve drops a little below the validation curve (by about two hundredths
# in the last one): the network already does somewhat better on the images
# it sees than on new ones. That distance is the **generalization gap**,
# and it is normal; it is not **overfitting** yet. As long as the
# validation loss keeps falling, more training keeps improving the model on
# new data. We speak of overfitting when the validation loss stalls or
# rises while the training loss keeps going down. With SGD and `lr` 0.01,
# within 10 epochs the validation loss has not stopped falling yet, so the
# best epoch is the last one and `keep_best` changed nothing: it restored
# the weights the model already had. In the next section it does change
# them.

# %% [markdown] tags=["es"]
# ## Cuando la mejor época no es la última
#
# Para ver `keep_best` en acción hace falta un entrenamiento que sobreajuste.
# Entrenamos una red nueva, igual que la anterior, con solo 1000 imágenes de
# entrenamiento, con Adam (el optimizador de la lección 01) y una tasa más
# alta, `lr` 0.003, durante 20 épocas. Con tan pocos ejemplos la red acaba
# aprendiéndoselos de memoria: la pérdida de entrenamiento sigue bajando
# hacia 0, mientras que la de validación deja pronto de bajar y, pasado su
# mínimo, vuelve a subir. Validamos con el mismo `val_loader` y, al
# terminar, medimos otra vez con `evaluate` el modelo que devuelve `fit`,
# para comparar su pérdida de validación con la de la última época.

# %% [markdown] tags=["en"]
# ## When the best epoch is not the last
#
# To see `keep_best` at work we need a run that overfits. We train a new
# network, the same as before, on only 1,000 training images, with Adam
# (lesson 01's optimizer) and a higher rate, `lr` 0.003, for 20 epochs.
# With so few examples the network ends up learning them by heart: the
# training loss keeps falling towards 0, while the validation loss soon
# stops falling and, past its minimum, rises again. We validate on the same
# `val_loader` and, at the end, measure the model `fit` returns with
# `evaluate` once more, to compare its validation loss with the last
# epoch's.

# %% tags=["raises-exception"]
torch.manual_seed(SEED)
overfit_model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
overfit_model = overfit_model.to(dev)
overfit_optimizer = torch.optim.Adam(overfit_model.parameters(), lr=0.003)
few_images = data.subset(train_set, 1000, seed=SEED)
shuffle = torch.Generator().manual_seed(SEED)
overfit_loader = DataLoader(few_images, batch_size=32, shuffle=True, generator=shuffle)
overfit_args = (overfit_model, overfit_loader, val_loader, criterion, overfit_optimizer, 20, dev)
overfit_history = fit(*overfit_args, keep_best=True)
val_losses, val_accs = overfit_history["val_loss"], overfit_history["val_acc"]
overfit_best_epoch = 1 + val_losses.index(min(val_losses))
restored_val_loss = evaluate(overfit_model, val_loader, criterion, dev)[0]
print(f"validation loss at the last epoch ({len(val_losses)}): {val_losses[-1]:.4f}")
print(f"after restoring the best epoch ({overfit_best_epoch}): {restored_val_loss:.4f}")
fig = plots.curves(overfit_history)

# %% [markdown] tags=["es"]
# La mejor época es la 9 de 20: desde ahí la pérdida de validación sube, a
# trompicones, mientras la de entrenamiento sigue bajando. Sin `keep_best`
# el modelo se quedaría con los pesos de la última época; al recuperar los
# de la mejor, su pérdida de validación baja de unas 0.54 a unas 0.45, y es
# exactamente la que se midió en la época 9, porque `best_state` es una
# copia de aquellos pesos y no una referencia a los que siguieron cambiando.
#
# La exactitud de validación, en cambio, apenas cambia entre la época 9 y la
# última: la red acierta más o menos lo mismo, pero se equivoca con más
# seguridad, y la entropía cruzada castiga mucho una respuesta segura y
# equivocada. `fit` elige por la pérdida, que nota esa confianza mal puesta;
# la exactitud solo cuenta aciertos.
#
# Esta red es solo una demostración, pero la validación también sirve para
# descartarla: su mejor pérdida de validación queda muy por encima de la de
# la red entrenada con las 50 000 imágenes (unas 0.16). Seguimos con esa.

# %% [markdown] tags=["en"]
# The best epoch is 9 of 20: from there the validation loss rises, by fits
# and starts, while the training loss keeps falling. Without `keep_best`
# the model would keep the last epoch's weights; restoring the best ones
# lowers its validation loss from about 0.54 to about 0.45, exactly the
# figure measured at epoch 9, because `best_state` is a copy of those
# weights and not a reference to the ones that kept changing.
#
# The validation accuracy, on the other hand, hardly changes between epoch 9
# and the last one: the network gets about as many right, but it is wrong
# with more confidence, and cross-entropy punishes a confident wrong answer
# heavily. `fit` chooses by the loss, which notices that misplaced
# confidence; accuracy only counts hits.
#
# This network is only a demonstration, but validation is also what rules
# it out: its best validation loss stays far above that of the network
# trained on all 50,000 images (about 0.16). We carry on with that one.

# %% [markdown] tags=["es"]
# ## Por muestra o por lote, con números
#
# La media de la lección original, la media de las medias de cada lote, se
# escribe en tres líneas. Comparémosla con la tuya en `val_loader` (312
# lotes de 32 y uno de 16) y en 100 imágenes de validación al azar (tres
# lotes de 32 y uno de 4).

# %% [markdown] tags=["en"]
# ## Per sample or per batch, in numbers
#
# The original lesson's average, the mean of every batch's mean, takes three
# lines to write. Let us compare it with yours on `val_loader` (312 batches
# of 32 and one of 16) and on 100 random validation images (three batches of
# 32 and one of 4).


# %%
def mean_of_batch_means(model, loader, criterion, device="cpu") -> float:
    """The original lesson's average: every batch counts the same, whatever its size."""
    model.eval()
    with torch.no_grad():
        batch_losses = [criterion(model(X.to(device)), y.to(device)).item() for X, y in loader]
    return sum(batch_losses) / len(batch_losses)


# %% [markdown] tags=["prediction"]
# mean_of_means

# %% tags=["raises-exception"]
small_loader = DataLoader(data.subset(val_set, 100, seed=SEED), batch_size=32)
differences = {}
for name, loader in (("val_loader", val_loader), ("small_loader", small_loader)):
    per_sample = evaluate(model, loader, criterion, dev)[0]
    per_batch = mean_of_batch_means(model, loader, criterion, dev)
    differences[name] = abs(per_sample - per_batch)
    size = f"{len(loader.dataset)} images, {len(loader)} batches"
    print(f"{size:>25}:  per sample {per_sample:.5f} · per batch {per_batch:.5f}")

# %% [markdown] tags=["reveal"]
# mean_of_means

# %% [markdown] tags=["es"]
# Con 313 lotes, uno solo desigual apenas mueve la media; con cuatro lotes,
# el de 4 imágenes cuenta como si tuviera 32 y la diferencia se ve en la
# segunda cifra decimal o antes. La media por muestra es la correcta en los
# dos casos, y no cuesta nada más.

# %% [markdown] tags=["en"]
# With 313 batches, a single uneven one barely moves the mean; with four
# batches, the one of 4 images counts as if it held 32 and the difference
# shows in the second decimal or sooner. The per-sample mean is right in
# both cases, and costs nothing extra.

# %% [markdown] tags=["es"]
# ## Más allá de la exactitud
#
# La exactitud resume todo en un número. Para ver **en qué** se equivoca el
# modelo se miran las clases una a una. Para un dígito $c$, con VP los
# verdaderos positivos, FP los falsos positivos y FN los falsos negativos:
#
# - **Precisión**: de las imágenes que el modelo llamó $c$, qué fracción lo son de verdad,
#   $\text{VP}/(\text{VP}+\text{FP})$.
# - **Exhaustividad** (*recall*): de las imágenes que son $c$, qué fracción encontró el modelo,
#   $\text{VP}/(\text{VP}+\text{FN})$.
# - **F1**: la media armónica de las dos, $2PR/(P+R)$; solo es alta si las dos lo son.
# - **Media macro**: la media de las 10 clases, todas con el mismo peso, por pequeñas que sean.
#
# Ojo con la traducción: en inglés, *accuracy* es la exactitud y *precision*
# es la precisión de la lista. Muchos textos en español, la lección original
# incluida, llaman «precisión» a la exactitud.
#
# Este análisis de errores, como cualquier otro, se hace con la validación:
# mirar en qué falla el modelo sirve para decidir qué cambiar (más ejemplos
# de un dígito, otra red...), y decidir con la prueba la gastaría. `predict`
# recoge las etiquetas y las predicciones de todo un `loader`, y
# `course_utils.metrics` hace las cuentas con scikit-learn.

# %% [markdown] tags=["en"]
# ## Beyond accuracy
#
# Accuracy sums everything up in one number. To see **where** the model goes
# wrong you look at the classes one by one. For a digit $c$, with TP the
# true positives, FP the false positives and FN the false negatives:
#
# - **Precision**: of the images the model called $c$, the fraction that truly are,
#   $\text{TP}/(\text{TP}+\text{FP})$.
# - **Recall**: of the images that are $c$, the fraction the model found,
#   $\text{TP}/(\text{TP}+\text{FN})$.
# - **F1**: the harmonic mean of the two, $2PR/(P+R)$; it is only high when both are.
# - **Macro average**: the mean over the 10 classes, each weighing the same, however small.
#
# Mind the translation: in Spanish, *accuracy* is *exactitud* and
# *precision* is *precisión*, the metric in the list. Many Spanish texts,
# the original lesson included, call accuracy «precisión».
#
# This error analysis, like any other, is done on validation: looking at
# where the model fails is how you decide what to change (more examples of
# a digit, another network...), and deciding with the test set would spend
# it. `predict` collects the labels and the predictions over a whole
# `loader`, and `course_utils.metrics` does the sums with scikit-learn.


# %%
def predict(
    model: nn.Module, loader: DataLoader, device="cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the true labels and the predicted classes over ``loader`` (in eval mode)."""
    model.eval()
    labels, preds = [], []
    with torch.no_grad():
        for X, y in loader:
            preds.append(model(X.to(device)).argmax(dim=1).cpu())
            labels.append(y)
    return torch.cat(labels), torch.cat(preds)


# %% tags=["raises-exception"]
print(f"the weights of epoch {best_epoch}, on the validation set:")
y_true, y_pred = predict(model, val_loader, dev)
precision, recall, f1 = metrics.precision_recall_f1(y_true, y_pred, average="macro")
print(f"macro precision {precision:.3f} · macro recall {recall:.3f} · macro F1 {f1:.3f}")
display(metrics.per_class(y_true, y_pred).round(3))

# %% [markdown] tags=["es"]
# ### La matriz de confusión
#
# Cada fila es la clase real y cada columna la predicha; la diagonal son los
# aciertos y cada casilla fuera de ella cuenta un tipo de error concreto.

# %% [markdown] tags=["en"]
# ### The confusion matrix
#
# Every row is the true class and every column the predicted one; the
# diagonal holds the correct predictions, and every cell off it counts one
# specific kind of mistake.

# %% tags=["raises-exception"]
cm = metrics.confusion(y_true, y_pred, num_classes=10)
fig = plots.confusion_matrix(cm)
top = metrics.most_confused(cm, k=5)
for true, pred, count in top:
    print(f"{true} predicted as {pred}: {count} times")
precision_per_class = cm.diagonal() / cm.sum(axis=0)

# %% [markdown] tags=["es"]
# La pareja más confundida es el 9 tomado por 4, con más del doble de casos
# que la siguiente, y por eso el 4 tiene la precisión más baja de la tabla:
# entre las imágenes que la red llama 4 hay muchos 9. Abajo tienes esas
# imágenes: casi todas las leería bien una persona, pero comparten con un 4
# el palo recto de la derecha, y en varias el bucle de arriba es pequeño,
# anguloso o no llega a cerrarse. La red no ve trazos, solo píxeles, y
# confunde formas así de cercanas.
#
# La fila del 3 reúne tres de las cinco confusiones más frecuentes (el 3
# tomado por 8, por 5 y por 2). La segunda pareja, el 3 tomado por 8, puedes
# mirarla con los menús de más abajo.

# %% [markdown] tags=["en"]
# The most confused pair is 9 taken for 4, with more than twice as many
# cases as the next one, which is why 4 has the lowest precision in the
# table: among the images the network calls 4 there are many 9s. Below are
# those images: a person would read almost all of them right, but they
# share a 4's straight stem on the right, and in several the top loop is
# small, angular or does not quite close. The network does not see strokes,
# only pixels, and it mixes up shapes that close.
#
# Row 3 holds three of the five most frequent mistakes (3 taken for 8, for 5
# and for 2). The second pair, 3 taken for 8, you can look at with the menus
# further down.

# %% tags=["raises-exception"]
X_val = full_train.tensors[0][val_set.indices]
true, pred, _count = top[0]
pair = ((y_true == true) & (y_pred == pred)).nonzero().flatten()[:16]
fig = plots.images(X_val[pair], y_true[pair], y_pred[pair])

# %% [markdown] tags=["es"]
# ### Explora los errores
#
# Elige una clase real (`y_true`) y una predicha (`y_pred`) en los menús:
# debajo aparecen hasta 16 imágenes de validación con esa confusión. Con la
# misma clase en los dos menús ves aciertos.

# %% [markdown] tags=["en"]
# ### Explore the mistakes
#
# Pick a true class (`y_true`) and a predicted one (`y_pred`) in the menus:
# up to 16 validation images with that confusion appear below. With the
# same class in both menus you see correct predictions.


# %% tags=["raises-exception"]
def show_pair(change=None) -> None:
    """Show up to 16 validation images of class true_menu.value predicted as pred_menu.value."""
    chosen = (y_true == true_menu.value) & (y_pred == pred_menu.value)
    pair = chosen.nonzero().flatten()[:16]
    gallery.value = plots.png(plots.images(X_val[pair], y_true[pair], y_pred[pair]))


digits = list(range(10))
true_menu = widgets.Dropdown(options=digits, value=top[0][0], description="true")
pred_menu = widgets.Dropdown(options=digits, value=top[0][1], description="predicted")
gallery = widgets.Image(format="png")
for menu in (true_menu, pred_menu):
    menu.observe(show_pair, names="value")
display(widgets.HBox([true_menu, pred_menu]), gallery)
show_pair()

# %% [markdown] tags=["es"]
# ## La prueba, una sola vez
#
# Todas las decisiones están tomadas, y todas con la validación: la época
# (la mejor de la red entrenada con todas las imágenes), la red con la que
# nos quedamos y el análisis de sus errores. Ahora, y solo ahora, medimos el
# modelo elegido con el conjunto de prueba, una sola vez. Si después
# cambiaras algo por lo que ves aquí, esta cifra dejaría de ser una
# estimación honesta.

# %% [markdown] tags=["en"]
# ## The test, once
#
# Every decision is made, and all of them on validation: the epoch (the
# best one of the network trained on all the images), the network we keep
# and the analysis of its mistakes. Now, and only now, we measure the chosen
# model on the test set, once. If you changed anything afterwards because
# of what you see here, this figure would stop being an honest estimate.

# %% tags=["raises-exception"]
test_loss, test_accuracy = evaluate(model, test_loader, criterion, dev)
print(f"test loss {test_loss:.4f} · test accuracy {test_accuracy:.2%}")

# %% [markdown] tags=["es"]
# La red acierta en torno al 95-96% de los dígitos de prueba, a menos de un
# punto de su exactitud de validación: la validación la había estimado bien.
# Es algo menos que el 97% de la lección 01, y el mérito es de Adam, que
# aprende más deprisa que SGD con `lr` 0.01: allí bastaron 5 épocas con
# lotes de 64, es decir, muchas menos actualizaciones de los pesos que las
# 10 épocas con lotes de 32 de aquí.

# %% [markdown] tags=["en"]
# The network gets about 95-96% of the test digits right, within one point
# of its validation accuracy: validation had estimated it well. That is a
# little less than lesson 01's 97%, and the credit goes to Adam, which
# learns faster than SGD with `lr` 0.01: there, 5 epochs with batches of 64
# were enough, that is, far fewer weight updates than the 10 epochs with
# batches of 32 here.

# %% [markdown] tags=["es"]
# ## Resumen
#
# - La validación sirve para decidir, vigilar en cada época y analizar los errores; la prueba se
#   usa una vez, al final, con el modelo ya elegido, y nunca para elegir.
# - Evaluar es `model.eval()` más `torch.no_grad()`, sin `backward()` ni `step()`, con la pérdida
#   promediada por muestra y la exactitud como fracción. `torch.no_grad()` ahorra el grafo de
#   operaciones, pero no protege los pesos.
# - Guardar una copia de los pesos de la mejor época de validación y recuperarla al final es la
#   mitad de la parada temprana; la otra mitad es dejar de entrenar cuando la validación no mejora.
#   Cuando la red sobreajusta, recuperar la mejor época baja la pérdida de validación.
# - Que la pérdida de entrenamiento quede algo por debajo de la de validación es la brecha de
#   generalización; el sobreajuste empieza cuando la de validación deja de bajar.
# - Precisión, exhaustividad, F1 y la matriz de confusión dicen en qué clases y cómo se equivoca
#   el modelo.
#
# En la lección 03 harás que la red sobreajuste a propósito y la frenarás
# con regularización L2 y dropout.

# %% [markdown] tags=["en"]
# ## Summary
#
# - Validation is for deciding, for watching after every epoch and for analysing mistakes; the
#   test is used once, at the end, on the model already chosen, and never to choose.
# - Evaluating means `model.eval()` plus `torch.no_grad()`, with no `backward()` and no `step()`,
#   the loss averaged per sample and the accuracy as a fraction. `torch.no_grad()` saves
#   recording the graph of operations, but it does not protect the weights.
# - Keeping a copy of the best validation epoch's weights and restoring it at the end is half of
#   early stopping; the other half is to stop training when validation no longer improves. When
#   the network overfits, restoring the best epoch lowers the validation loss.
# - A training loss somewhat below the validation loss is the generalization gap; overfitting
#   starts when the validation loss stops falling.
# - Precision, recall, F1 and the confusion matrix tell you in which classes, and how, the model
#   goes wrong.
#
# In lesson 03 you will make the network overfit on purpose and rein it in
# with L2 regularization and dropout.
