# ---
# jupyter:
#   course:
#     quick:
#       TRAIN_SUBSET: 1000
#       NUM_EPOCHS: 1
#     expect:
#       quick:
#       - train_images == 60000
#       - test_images == 10000
#       full:
#       - train_images == 60000
#       - test_images == 10000
#       - test_accuracy >= 0.85
#     translations:
#       es:
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes que muestra el curso"
#         "# passes over the training images in the test run below": "# pasadas por las imágenes de entrenamiento en la prueba de abajo"
#         "# how many training images the test run uses (None: all of them)": "# cuántas imágenes de entrenamiento usa la prueba de velocidad (None: todas)"
#         "{seconds:.1f} s · test accuracy {accuracy:.1%}": "{seconds:.1f} s · exactitud en prueba {accuracy:.1%}"
#         "# one message in both languages, as every message of the course is written": "# un mensaje en los dos idiomas, como están escritos todos los mensajes del curso"
#         "Spanish": "español"
#         "English": "inglés"
#         "# back to the language of this notebook": "# de vuelta al idioma de este cuaderno"
#         "Number of trainable values in ``model``.": "Número de valores entrenables de ``model``."
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 00 · Bienvenida
#
# Este curso te lleva, con las manos en el teclado, desde el **bucle de
# entrenamiento** de PyTorch hasta la **validación**, la **regularización**
# (L2, dropout) y la **normalización por lotes**, y termina con un
# entrenamiento personalizado sobre datos tabulares (pingüinos) y con cómo
# **guardar y cargar** modelos. Cada lección es un cuaderno que se ejecuta
# en un minuto más o menos en la CPU de un portátil, sin conexión.
#
# | Lección | Tema |
# |---|---|
# | 00 | Bienvenida y comprobación del entorno (esta) |
# | 01 | El bucle de entrenamiento |
# | 02 | Validación y pruebas |
# | 03 | Regularización: L2 y dropout |
# | 04 | Normalización por lotes |
# | 05 | Entrenamiento personalizado: pingüinos |
# | 06 | Guardar y cargar modelos |

# %% [markdown] tags=["en"]
# # 00 · Welcome
#
# This course takes you, hands on the keyboard, from PyTorch's **training
# loop** to **validation**, **regularization** (L2, dropout) and **batch
# normalization**, and ends with a custom training run on tabular data
# (penguins) and with **saving and loading** models. Every lesson is a
# notebook that runs in about a minute on a laptop CPU, offline.
#
# | Lesson | Topic |
# |---|---|
# | 00 | Welcome and environment check (this one) |
# | 01 | The training loop |
# | 02 | Validation and testing |
# | 03 | Regularization: L2 and dropout |
# | 04 | Batch normalization |
# | 05 | Custom training: penguins |
# | 06 | Saving and loading models |

# %% [markdown] tags=["es"]
# ## Cómo se usa un cuaderno
#
# Un cuaderno está hecho de celdas de texto (como esta) y celdas de código.
# Selecciona una celda de código y pulsa **Mayús + Intro** para ejecutarla:
# su resultado aparece debajo y el cursor pasa a la siguiente. Ejecuta las
# celdas **de arriba abajo**; si algo se queda raro, *Kernel → Restart Kernel
# and Run All Cells…* vuelve a empezar desde cero (con JupyterLab en español,
# *Kernel → Reiniciar intérprete y ejecutar todas las celdas*; al final de esta
# lección verás cómo cambiar su idioma).
#
# La primera celda de código de cada lección guarda sus **parámetros**: el
# idioma de los mensajes, el número de épocas y cuántas imágenes de
# entrenamiento usar. Puedes cambiarlos para ir más rápido; los valores que
# ves son los de la lección completa.

# %% [markdown] tags=["en"]
# ## How to use a notebook
#
# A notebook is made of text cells (like this one) and code cells. Select a
# code cell and press **Shift + Enter** to run it: its result appears below
# and the cursor moves to the next one. Run the cells **from top to
# bottom**; if things get muddled, *Kernel → Restart Kernel and Run All
# Cells…* starts again from scratch (with JupyterLab in Spanish, *Kernel →
# Reiniciar intérprete y ejecutar todas las celdas*; the end of this lesson
# shows how to switch its language).
#
# The first code cell of every lesson holds its **parameters**: the language
# of the messages, the number of epochs and how many training images to use.
# You may change them to go faster; the values you see are the full lesson's.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 2  # passes over the training images in the test run below
TRAIN_SUBSET = 5000  # how many training images the test run uses (None: all of them)
SEED = 0

# %%
import platform

import torch
import torchvision

from course_utils import checks, data, device, i18n, plots, report, seed
from course_utils.checks import welcome as check

i18n.set_language(LANG)
print("Python     ", platform.python_version())
print("PyTorch    ", torch.__version__)
print("torchvision", torchvision.__version__)

# %% [markdown] tags=["es"]
# ## ¿Dónde se entrena?
#
# PyTorch puede usar una GPU de NVIDIA (CUDA), la GPU de un Mac con chip
# Apple (MPS) o la CPU. `device.pick()` elige la más rápida que haya y lo
# dice en una línea. Todo el curso funciona en CPU.

# %% [markdown] tags=["en"]
# ## Where does training run?
#
# PyTorch can use an NVIDIA GPU (CUDA), the GPU of a Mac with Apple silicon
# (MPS) or the CPU. `device.pick()` chooses the fastest one available and
# says so in one line. The whole course works on a CPU.

# %%
dev = device.pick()

# %% [markdown] tags=["es"]
# ## Los datos
#
# Casi todas las lecciones usan **MNIST**: 70 000 imágenes de 28×28 píxeles de
# dígitos escritos a mano, 60 000 para entrenar y 10 000 para la prueba
# final. Se guardan en la carpeta `data/` del curso (o en la que indique la
# variable de entorno `COURSE_DATA_DIR`); si no están, se descargan una vez.

# %% [markdown] tags=["en"]
# ## The data
#
# Most lessons use **MNIST**: 70,000 images of handwritten digits, 28×28
# pixels each, 60,000 for training and 10,000 for the final test. They live
# in the course's `data/` folder (or the one the `COURSE_DATA_DIR`
# environment variable names); if they are missing, they are downloaded once.

# %% tags=["nbval-check-output"]
train_set = data.mnist(train=True)
test_set = data.mnist(train=False)
image, label = train_set[0]
print(len(train_set), len(test_set), image.size, label)

# %%
report.record(train_images=len(train_set), test_images=len(test_set))
fig = plots.images(train_set.data[:16], train_set.targets[:16])

# %% [markdown] tags=["es"]
# ## Una prueba de velocidad
#
# Para comprobar que todo funciona, entrenamos un clasificador muy sencillo
# (una sola capa lineal) sobre unas pocas imágenes. No hace falta entender
# aún cada línea: en la lección 01 escribirás este bucle tú mismo.

# %% [markdown] tags=["en"]
# ## A speed test
#
# To check that everything works, we train a very simple classifier (a
# single linear layer) on a few images. You need not understand every line
# yet: in lesson 01 you will write this loop yourself.

# %%
import time

from torch import nn
from torch.utils.data import DataLoader

seed.seed_everything(SEED)
train_data = data.subset(data.mnist_tensors(train=True), TRAIN_SUBSET, seed=SEED)
test_data = data.mnist_tensors(train=False)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10)).to(dev)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
start = time.perf_counter()
for epoch in range(NUM_EPOCHS):
    for X, y in DataLoader(train_data, batch_size=64, shuffle=True):
        loss = criterion(model(X.to(dev)), y.to(dev))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
seconds = time.perf_counter() - start

# %%
with torch.no_grad():
    X_test, y_test = test_data.tensors
    accuracy = (model(X_test.to(dev)).argmax(dim=1).cpu() == y_test).float().mean().item()
print(f"{seconds:.1f} s · test accuracy {accuracy:.1%}")
report.record(test_accuracy=accuracy)

# %% [markdown] tags=["es"]
# Con solo una capa lineal y unos miles de imágenes, el modelo ya
# acierta más del 85 % de los dígitos de prueba, que nunca vio. En las
# próximas lecciones entenderás por qué, y lo mejorarás.
#
# ## Cambiar de idioma
#
# - **Las lecciones**: abre la carpeta `notebooks/en/` para la versión en
#   inglés; el código es idéntico en las dos.
# - **Los mensajes del curso** (errores, gráficos, comprobaciones): cambia
#   `LANG` en la celda de parámetros, o llama a `i18n.set_language("en")`. La
#   celda de abajo lo prueba con un mensaje escrito, como todos los del curso,
#   en los dos idiomas: lo muestra en español y en inglés, y vuelve a `LANG`.
# - **JupyterLab** (menús y diálogos): empieza en inglés; *Settings →
#   Language → Spanish (Spain) - Español (España)*, confirma, y se recarga en
#   español (el paquete de idioma viene con el curso). Para volver al inglés:
#   *Configuración → Idioma → Inglés - English*.

# %% [markdown] tags=["en"]
# With a single linear layer and a few thousand images, the model already
# gets more than 85% of the test digits right, digits it never saw. In the
# next lessons you will see why, and do better.
#
# ## Switching language
#
# - **The lessons**: open the `notebooks/es/` folder for the Spanish
#   version; the code is the same in both.
# - **The course's messages** (errors, plots, checks): change `LANG` in the
#   parameters cell, or call `i18n.set_language("es")`. The cell below tries
#   it with one message written, like every message of the course, in both
#   languages: it shows it in Spanish and in English, then goes back to `LANG`.
# - **JupyterLab** (menus and dialogs): it starts in English; *Settings →
#   Language → Spanish (Spain) - Español (España)*, confirm, and it reloads
#   in Spanish (the language pack comes with the course). To go back to
#   English: *Configuración → Idioma → Inglés - English*.

# %%
# one message in both languages, as every message of the course is written
catalog = i18n.Catalog(
    {"ready": {"es": "Todo listo para la lección 01.", "en": "All set for lesson 01."}}
)
language_names = {"es": "Spanish", "en": "English"}
for lang in ("es", "en"):
    i18n.set_language(lang)
    print(f"{language_names[lang]}: {catalog('ready')}")
i18n.set_language(LANG)  # back to the language of this notebook

# %% [markdown] tags=["es"]
# ## Tu primer ejercicio
#
# Los ejercicios tienen una celda donde escribes tu código (donde pone
# `raise NotImplementedError()`) y, debajo, una celda de **comprobación** que
# prueba tu código y te dice qué falla.
#
# Escribe `count_parameters(model)`, que devuelva cuántos números entrenables
# tiene un modelo: suma `p.numel()` para cada `p` de `model.parameters()` que
# tenga `p.requires_grad`. Para `nn.Linear(3, 2)` son 3·2 pesos + 2 sesgos = 8.

# %% [markdown] tags=["en"]
# ## Your first exercise
#
# Exercises have a cell where you write your code (where it says
# `raise NotImplementedError()`) and, below it, a **check** cell that tests
# your code and tells you what is wrong.
#
# Write `count_parameters(model)`, returning how many trainable numbers a
# model holds: add up `p.numel()` for every `p` in `model.parameters()` that
# has `p.requires_grad`. For `nn.Linear(3, 2)` that is 3·2 weights + 2 biases = 8.


# %%
def count_parameters(model: nn.Module) -> int:
    """Number of trainable values in ``model``."""
    ### BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    ### END SOLUTION


# %% tags=["check"]
check.count_parameters(count_parameters)

# %% tags=["nbval-check-output"]
with checks.needs_solution():
    print(count_parameters(model))
