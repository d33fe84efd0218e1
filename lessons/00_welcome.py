# ---
# jupyter:
#   course:
#     quick:
#       TRAIN_SUBSET: 1000
#       NUM_EPOCHS: 1
#     measure:
#       train_images: len(train_set)
#       test_images: len(test_set)
#       test_accuracy: accuracy
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
#         "# passes over the training images in the first training run below": "# pasadas por las imágenes de entrenamiento en el primer entrenamiento, más abajo"
#         "# how many training images that run uses (None: all of them)": "# cuántas imágenes de entrenamiento usa ese entrenamiento (None: todas)"
#         "# the seed of the random numbers: the same seed gives the same results": "# la semilla de los números aleatorios: con la misma semilla salen los mismos resultados"
#         "{seconds:.1f} s · test accuracy {accuracy:.1%}": "{seconds:.1f} s · exactitud en prueba {accuracy:.1%}"
#         "Number of trainable values in ``model``.": "Número de valores entrenables de ``model``."
#         "# a cell that needs an unwritten exercise says so in one line": "# una celda que necesita un ejercicio sin escribir lo dice en una línea"
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
# celdas **en orden, de arriba abajo**, porque cada una usa lo que crearon
# las anteriores. Si algo se queda raro, el menú *Kernel → Restart Kernel and
# Run All Cells…* (con JupyterLab en español, *Kernel → Reiniciar intérprete
# y ejecutar todas las celdas*) empieza de cero y vuelve a ejecutarlo todo.
#
# La primera celda de código de cada lección guarda sus **parámetros**. En
# esta: el idioma de los mensajes (`LANG`), cuántas **épocas** dura el
# entrenamiento de más abajo (una época es una pasada completa por las
# imágenes de entrenamiento), cuántas imágenes usa y la **semilla** de los
# números aleatorios (con la misma semilla, cada ejecución da los mismos
# resultados). Los valores que ves son los de la lección completa; con menos
# épocas o menos imágenes todo va más rápido, pero las cifras que comenta el
# texto cambian.

# %% [markdown] tags=["en"]
# ## How to use a notebook
#
# A notebook is made of text cells (like this one) and code cells. Select a
# code cell and press **Shift + Enter** to run it: its result appears below
# and the cursor moves to the next one. Run the cells **in order, from top
# to bottom**, because each one uses what the earlier ones created. If
# things get muddled, the menu *Kernel → Restart Kernel and Run All Cells…*
# (with JupyterLab in Spanish, *Kernel → Reiniciar intérprete y ejecutar
# todas las celdas*) starts from scratch and runs everything again.
#
# The first code cell of every lesson holds its **parameters**. In this one:
# the language of the messages (`LANG`), how many **epochs** the training
# run further down lasts (an epoch is one full pass over the training
# images), how many images it uses, and the **seed** of the random numbers
# (with the same seed, every run gives the same results). The values you
# see are the full lesson's; with fewer epochs or fewer images everything
# runs faster, but the figures the text discusses change.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 2  # passes over the training images in the first training run below
TRAIN_SUBSET = 5000  # how many training images that run uses (None: all of them)
SEED = 0  # the seed of the random numbers: the same seed gives the same results

# %%
import platform

import torch
import torchvision

from course_utils import checks, data, device, i18n, plots, seed
from course_utils.checks import welcome as check

i18n.set_language(LANG)
checks.wait_for_exercises()  # a cell that needs an unwritten exercise says so in one line
print("Python     ", platform.python_version())
print("PyTorch    ", torch.__version__)
print("torchvision", torchvision.__version__)

# %% [markdown] tags=["es"]
# ## ¿Dónde se entrena?
#
# La celda anterior carga PyTorch, torchvision (sus utilidades para
# imágenes) y las herramientas del curso (`course_utils`), y muestra las
# versiones instaladas: si pides ayuda con un error, inclúyelas.
#
# PyTorch puede usar una GPU de NVIDIA (CUDA), la GPU de un Mac con chip
# Apple (MPS) o la CPU. `device.pick()` elige la más rápida que haya y lo
# dice en una línea. Todo el curso funciona en CPU.

# %% [markdown] tags=["en"]
# ## Where does training run?
#
# The cell above loads PyTorch, torchvision (its tools for images) and the
# course's helpers (`course_utils`), and shows the installed versions:
# include them when you ask for help with an error.
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
# dígitos escritos a mano. 60 000 forman el **conjunto de entrenamiento**,
# con el que aprende el modelo, y 10 000 el **conjunto de prueba**, que se
# aparta para medirlo al final con imágenes que nunca vio. Se guardan en la
# carpeta `data/` del curso (o en la que indique la variable de entorno
# `COURSE_DATA_DIR`); si no están, se descargan una vez.
#
# La celda muestra cuántas imágenes tiene cada conjunto, el tamaño en
# píxeles de la primera imagen y su **etiqueta**, el dígito que representa;
# debajo se ven las 16 primeras, cada una con su etiqueta.

# %% [markdown] tags=["en"]
# ## The data
#
# Most lessons use **MNIST**: 70,000 images of handwritten digits, 28×28
# pixels each. 60,000 make up the **training set**, which the model learns
# from, and 10,000 the **test set**, kept aside to measure it at the end on
# images it never saw. They live in the course's `data/` folder (or the one
# the `COURSE_DATA_DIR` environment variable names); if they are missing,
# they are downloaded once.
#
# The cell shows how many images each set holds, the size in pixels of the
# first image and its **label**, the digit it shows; below are the first
# 16, each with its label.

# %% tags=["nbval-check-output"]
train_set = data.mnist(train=True)
test_set = data.mnist(train=False)
image, label = train_set[0]
print(len(train_set), len(test_set), image.size, label)

# %%
fig = plots.images(train_set.data[:16], train_set.targets[:16])

# %% [markdown] tags=["es"]
# ## Un primer entrenamiento
#
# Para comprobar que todo funciona, entrenamos un clasificador muy sencillo
# con unas pocas imágenes: una sola capa lineal, que da 10 puntuaciones por
# imagen (una por dígito), y la mayor es el dígito predicho. No hace falta
# entender aún cada línea: en la lección 01 escribirás este bucle tú mismo.
#
# La celda siguiente mide el modelo en el conjunto de prueba y muestra
# cuántos segundos tardó el entrenamiento (depende de tu ordenador) y la
# **exactitud**: la fracción de imágenes cuyo dígito acierta.

# %% [markdown] tags=["en"]
# ## A first training run
#
# To check that everything works, we train a very simple classifier on a
# few images: a single linear layer, which gives 10 scores per image (one
# per digit), and the largest one is the predicted digit. You need not
# understand every line yet: in lesson 01 you will write this loop yourself.
#
# The next cell measures the model on the test set and shows how many
# seconds training took (it depends on your computer) and the **accuracy**:
# the fraction of images whose digit it gets right.

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

# %% [markdown] tags=["es"]
# Con solo una capa lineal y unos miles de imágenes, el modelo ya acierta
# más del 85% de los dígitos del conjunto de prueba, que nunca vio. En las
# próximas lecciones entenderás por qué, y lo mejorarás. (En el curso, los
# decimales llevan punto, como los escribe Python: 0.5, 85.3%; los miles se
# separan con un espacio: 60 000.)
#
# ## Cambiar de idioma
#
# - **Las lecciones**: abre la carpeta `notebooks/en/` para la versión en
#   inglés; el código es idéntico en las dos.
# - **Los mensajes del curso** (errores, gráficos, comprobaciones): cambia
#   `LANG = "es"` por `LANG = "en"` en la celda de parámetros y vuelve a
#   ejecutar el cuaderno.
# - **JupyterLab** (menús y diálogos): empieza en inglés; *Settings →
#   Language → Spanish (Spain) - Español (España)*, confirma, y se recarga en
#   español (el paquete de idioma viene con el curso). Para volver al inglés:
#   *Configuración → Idioma → Inglés - English*.

# %% [markdown] tags=["en"]
# With a single linear layer and a few thousand images, the model already
# gets more than 85% of the test set's digits right, digits it never saw. In
# the next lessons you will see why, and do better. (Numbers are
# written as Python writes them: 0.5, 85.3%; thousands are grouped with a
# comma: 60,000.)
#
# ## Switching language
#
# - **The lessons**: open the `notebooks/es/` folder for the Spanish
#   version; the code is the same in both.
# - **The course's messages** (errors, plots, checks): change `LANG = "en"`
#   to `LANG = "es"` in the parameters cell and run the notebook again.
# - **JupyterLab** (menus and dialogs): it starts in English; *Settings →
#   Language → Spanish (Spain) - Español (España)*, confirm, and it reloads
#   in Spanish (the language pack comes with the course). To go back to
#   English: *Configuración → Idioma → Inglés - English*.

# %% [markdown] tags=["es"]
# ## Tu primer ejercicio
#
# Los ejercicios tienen una celda donde escribes tu código (donde pone
# `raise NotImplementedError()`) y, debajo, una celda de **comprobación** que
# revisa tu código y te dice qué falla. Mientras no lo escribas, las celdas
# que lo usan lo dicen en una línea que empieza por ⏳, y el resto del
# cuaderno sigue funcionando.
#
# Los **parámetros** de un modelo son los números que el entrenamiento
# ajusta: los pesos y los sesgos de sus capas, guardados en tensores (tablas
# de números). `model.parameters()` recorre esos tensores, `p.numel()` dice
# cuántos números tiene el tensor `p` y `p.requires_grad` vale `True` si el
# entrenamiento lo ajusta (se puede *congelar* un parámetro para que no
# cambie).
#
# Escribe `count_parameters(model)`, que devuelva cuántos números entrenables
# tiene un modelo: suma `p.numel()` para cada `p` de `model.parameters()` que
# tenga `p.requires_grad`. Para `nn.Linear(3, 2)` son 3·2 pesos + 2 sesgos = 8.

# %% [markdown] tags=["en"]
# ## Your first exercise
#
# Exercises have a cell where you write your code (where it says
# `raise NotImplementedError()`) and, below it, a **check** cell that tests
# your code and tells you what is wrong. Until you write it, the cells that use
# it say so in one line starting with ⏳, and the rest of the notebook still
# works.
#
# A model's **parameters** are the numbers training adjusts: the weights
# and biases of its layers, stored in tensors (tables of numbers).
# `model.parameters()` goes through those tensors, `p.numel()` says how many
# numbers the tensor `p` holds, and `p.requires_grad` is `True` if training
# adjusts it (a parameter can be *frozen* so that it does not change).
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

# %% [markdown] tags=["es"]
# Con tu función, el clasificador del primer entrenamiento: su capa lineal
# tiene 784·10 pesos (uno por píxel y dígito) + 10 sesgos.

# %% [markdown] tags=["en"]
# With your function, the classifier of the first training run: its linear
# layer has 784·10 weights (one per pixel and digit) + 10 biases.

# %% tags=["nbval-check-output", "raises-exception"]
print(count_parameters(model))
