# ---
# jupyter:
#   course:
#     quick:
#       NUM_EPOCHS: 30
#     expect:
#       quick:
#       - raw_rows == 344
#       - kept_rows == 342
#       - train_size == 273
#       - test_size == 69
#       - parameters == 193
#       - step_loss_after < step_loss_before
#       - last_loss < first_loss
#       - confusion_total == 69
#       full:
#       - raw_rows == 344
#       - kept_rows == 342
#       - train_size == 273
#       - test_size == 69
#       - parameters == 193
#       - untrained_accuracy < 0.6
#       - step_loss_after < step_loss_before
#       - last_loss < first_loss
#       - train_accuracy >= 0.95
#       - test_accuracy >= 0.95
#       - unlabeled_as_expected == 1
#       - confusion_total == 69
#     translations:
#       es:
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes del curso"
#         "# passes over the training penguins, as in the original tutorial": "# pasadas por los pingüinos de entrenamiento, como en el tutorial original"
#         "# how many training penguins to use (None: all of them)": "# cuántos pingüinos de entrenamiento usar (None: todos)"
#         "# models this small train fastest on one CPU thread": "# modelos tan pequeños entrenan más rápido en un solo hilo de la CPU"
#         "# No device.pick() here: with 4 measurements per penguin, copying each batch to a GPU": "# Aquí no hay device.pick(): con 4 medidas por pingüino, copiar cada lote a una GPU"
#         "# would cost more than computing it, so this lesson stays on the CPU.": "# costaría más que calcularlo, así que esta lección se queda en la CPU."
#         "{table.shape[0]} penguins, {table.shape[1]} columns": "{table.shape[0]} pingüinos, {table.shape[1]} columnas"
#         "{incomplete.sum()} rows lack a measurement; {len(kept)} are kept": "{incomplete.sum()} filas no tienen todas las medidas; se conservan {len(kept)}"
#         "# in the notebook's language": "# en el idioma del cuaderno"
#         "training: {tuple(X_train.shape)}, test: {tuple(X_test.shape)}": "entrenamiento: {tuple(X_train.shape)}, prueba: {tuple(X_test.shape)}"
#         "training means:": "medias de entrenamiento:"
#         "# + 0.0 turns -0 into 0": "# + 0.0 convierte -0 en 0"
#         "test means:": "medias de prueba:"
#         "{len(train_data)} training penguins in {len(train_loader)} batches": "{len(train_data)} pingüinos de entrenamiento en {len(train_loader)} lotes"
#         "{feature_labels[0]}, standardized": "{feature_labels[0]}, estandarizada"
#         "{feature_labels[1]}, standardized": "{feature_labels[1]}, estandarizada"
#         "{parameters} parameters": "{parameters} parámetros"
#         "probabilities for the first 5 penguins:": "probabilidades de los 5 primeros pingüinos:"
#         "predictions:": "predicciones:"
#         "labels:     ": "etiquetas:   "
#         "accuracy on the training set: {untrained_accuracy:.1%}": "exactitud en la parte de entrenamiento: {untrained_accuracy:.1%}"
#         "CrossEntropyLoss: {loss.item():.4f}   by hand: {by_hand.item():.4f}": "CrossEntropyLoss: {loss.item():.4f}   a mano: {by_hand.item():.4f}"
#         "before the step: loss {loss.item():.4f}": "antes del paso:   pérdida {loss.item():.4f}"
#         "after the step:  loss {step_loss_after:.4f}": "después del paso: pérdida {step_loss_after:.4f}"
#         "Train ``model`` for one epoch; return the mean loss per sample and the accuracy.": "Entrena ``model`` durante una época; devuelve la pérdida media por muestra y la exactitud."
#         "epoch {epoch:3d}: loss {epoch_loss:.3f}, accuracy {epoch_accuracy:.1%}": "época {epoch:3d}: pérdida {epoch_loss:.3f}, exactitud {epoch_accuracy:.1%}"
#         "Accuracy (0 to 1) of ``model`` over every batch of ``loader``, without training it.": "Exactitud (de 0 a 1) de ``model`` sobre todos los lotes de ``loader``, sin entrenarlo."
#         "test accuracy: {test_accuracy:.1%} of {len(test_data)} penguins": "exactitud en prueba: {test_accuracy:.1%} de {len(test_data)} pingüinos"
#         "(each penguin is {1 / len(test_data):.1%} of the test set)": "(cada pingüino es el {1 / len(test_data):.1%} de la parte de prueba)"
#         "label": "etiqueta"
#         "prediction": "predicción"
#         "penguin {number}: {class_names[best]} ({p[best]:.1%})": "pingüino {number}: {class_names[best]} ({p[best]:.1%})"
#         "Predict the sliders' penguin and show one text bar per species.": "Predice el pingüino de los deslizadores y muestra una barra de texto por especie."
#         "# a plain widget: nothing waits on it in a headless run": "# un widget sencillo: nada lo espera en una ejecución sin pantalla"
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 05 · Entrenamiento personalizado: pingüinos
#
# Esta lección es la versión en PyTorch de un tutorial clásico de
# TensorFlow: entrenar, con un bucle escrito a mano, una red que reconoce la
# especie de un pingüino a partir de cuatro medidas. Es un problema pequeño y
# tabular (una fila por animal, una columna por medida), muy distinto de las
# imágenes de MNIST, y recorre el camino completo de un proyecto:
#
# - mirar los datos en bruto y decidir qué son características y qué es la etiqueta;
# - preparar los datos: codificar la etiqueta, estandarizar y separar una parte de prueba;
# - elegir un modelo y ver qué predice antes de entrenarlo;
# - definir la pérdida y dar un paso de optimización a mano;
# - entrenar llevando estadísticas por época, evaluar y predecir pingüinos nuevos.

# %% [markdown] tags=["en"]
# # 05 · Custom training: penguins
#
# This lesson is the PyTorch version of a classic TensorFlow tutorial:
# training, with a hand-written loop, a network that tells a penguin's
# species from four measurements. It is a small, tabular problem (one row
# per animal, one column per measurement), quite unlike MNIST's images, and
# it walks the whole path of a project:
#
# - look at the raw data and decide what the features are and what the label is;
# - prepare the data: encode the label, standardize, and set a test set aside;
# - choose a model and see what it predicts before training;
# - define the loss and take one optimization step by hand;
# - train while keeping per-epoch statistics, evaluate, and predict new penguins.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 201  # passes over the training penguins, as in the original tutorial
TRAIN_SUBSET = None  # how many training penguins to use (None: all of them)
SEED = 0

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
import torch
from IPython.display import display
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks, data, i18n, metrics, penguins, plots, report, seed
from course_utils.checks import penguins as check

i18n.set_language(LANG)
torch.set_num_threads(1)  # models this small train fastest on one CPU thread
# No device.pick() here: with 4 measurements per penguin, copying each batch to a GPU
# would cost more than computing it, so this lesson stays on the CPU.
generator = seed.seed_everything(SEED)

# %% [markdown] tags=["es"]
# ## El problema
#
# Imagina que eres ornitóloga y quieres clasificar automáticamente cada
# pingüino que encuentras. Existen 18 especies de pingüinos; aquí nos
# quedamos con tres que viven en el archipiélago Palmer, en la Antártida:
# **Adelia** (*Adelie*), **barbijo** (*Chinstrap*) y **papúa** o gentú
# (*Gentoo*). Un programa muy sofisticado podría mirar fotos; el nuestro
# solo mira cuatro números por animal: la masa corporal, la longitud de la
# aleta y la longitud y la profundidad del pico (el *culmen*).
#
# Los datos los tomaron Kristen Gorman y su equipo en la estación Palmer
# (Gorman et al., 2014), y Horst et al. (2020) los publicaron como el
# conjunto `palmerpenguins`. Vienen en el paquete de Python del mismo
# nombre, así que no hace falta descargar nada.

# %% [markdown] tags=["en"]
# ## The problem
#
# Imagine you are an ornithologist who wants to classify every penguin you
# come across automatically. There are 18 penguin species; here we keep
# three that live in the Palmer Archipelago, in Antarctica: **Adelie**,
# **Chinstrap** and **Gentoo**. A very sophisticated program could look at
# photos; ours only looks at four numbers per animal: body mass, flipper
# length, and the length and depth of the bill (the *culmen*).
#
# Kristen Gorman and her team measured the data at Palmer Station (Gorman
# et al., 2014), and Horst et al. (2020) published it as the
# `palmerpenguins` dataset. It ships in the Python package of the same
# name, so there is nothing to download.

# %% [markdown] tags=["es"]
# ## Un primer vistazo a los datos
#
# `penguins.raw()` devuelve la tabla tal como se publicó: una fila por
# pingüino (un **ejemplo**) y una columna por dato. Estas son las primeras
# filas y el tamaño de la tabla. Sus textos están en inglés, como en el
# original: `species` es la especie, `island` la isla, `sex` el sexo (`male`,
# `female`) y `year` el año; las columnas que terminan en `_mm` o `_g` son
# medidas.

# %% [markdown] tags=["en"]
# ## A first look at the data
#
# `penguins.raw()` returns the table as it was published: one row per
# penguin (an **example**) and one column per field. Here are the first
# rows and the size of the table. The names are the published ones:
# `species`, `island`, `sex` (`male`, `female`) and `year`; the columns
# ending in `_mm` or `_g` are measurements.

# %% tags=["nbval-check-output", "library-text"]
table = penguins.raw()
print(f"{table.shape[0]} penguins, {table.shape[1]} columns")
table.head()

# %% [markdown] tags=["es"]
# Cada fila mezcla dos clases de columnas:
#
# - las **características** (*features*): lo que el modelo recibe para decidir; usamos las cuatro
#   medidas `bill_length_mm`, `bill_depth_mm`, `flipper_length_mm` y `body_mass_g`;
# - la **etiqueta** (*label*): lo que queremos predecir, la columna `species`.
#
# La isla, el sexo y el año no los usamos. Tampoco sirven las filas a las
# que les falta alguna medida: al modelo hay que darle siempre los cuatro
# números. La celda cuenta esas filas y las que quedan.

# %% [markdown] tags=["en"]
# Every row mixes two kinds of columns:
#
# - the **features**: what the model receives to make up its mind; we use the four measurements
#   `bill_length_mm`, `bill_depth_mm`, `flipper_length_mm` and `body_mass_g`;
# - the **label**: what we want to predict, the column `species`.
#
# We do not use the island, the sex or the year. Nor are rows that lack a
# measurement any good: the model must always be given all four numbers.
# The cell counts those rows and the ones left.

# %% tags=["nbval-check-output"]
incomplete = table[penguins.FEATURES].isna().any(axis=1)
kept = table[~incomplete]
print(f"{incomplete.sum()} rows lack a measurement; {len(kept)} are kept")
per_species = kept["species"].value_counts()[penguins.CLASS_NAMES].tolist()
print(dict(zip(penguins.species_names(), per_species, strict=True)))
report.record(raw_rows=len(table), kept_rows=len(kept))

# %% [markdown] tags=["es"]
# ## La etiqueta como número
#
# Una red no produce palabras sino números, así que cada especie se
# representa con un entero: 0 Adelia, 1 barbijo, 2 papúa. La lista
# `class_names` guarda los nombres en ese orden; con ella traduciremos las
# predicciones del modelo (la posición en la lista es el número de la clase).
# `penguins.species_names()` da los nombres en el idioma del cuaderno; la
# columna `species` de los datos sigue usando los del original (*Adelie*,
# *Chinstrap*, *Gentoo*).

# %% [markdown] tags=["en"]
# ## The label as a number
#
# A network outputs numbers, not words, so each species is represented by
# an integer: 0 Adelie, 1 Chinstrap, 2 Gentoo. The list `class_names` keeps
# the names in that order; we will use it to read the model's predictions
# (the position in the list is the class number). `penguins.species_names()`
# gives the names in the notebook's language; in English they are the same
# as in the data's `species` column.

# %% tags=["nbval-check-output"]
class_names = penguins.species_names()  # in the notebook's language
for label, name in enumerate(class_names):
    print(label, name)

# %% [markdown] tags=["es"]
# ## Los datos preparados
#
# `penguins.processed()` hace la preparación habitual, en este orden:
#
# 1. quita las filas incompletas y convierte cada especie en su número;
# 2. separa al azar (con semilla) un 80 % para entrenar y un 20 % para la prueba final, con la
#    misma proporción de cada especie en las dos partes (división *estratificada*);
# 3. **estandariza** cada medida: le resta su media y la divide entre su desviación típica.
#
# Estandarizar importa porque las medidas viven en escalas muy distintas: la
# masa va de miles de gramos y la profundidad del pico de unos 20 mm. Sin
# ese paso, la masa dominaría los primeros cálculos de la red. La media y la
# desviación se calculan **solo con la parte de entrenamiento** y se aplican
# igual a la de prueba, para que nada de la prueba se filtre al
# entrenamiento; por eso las medias de la prueba no son exactamente 0. El
# tutorial original usa el conjunto ya procesado de TensorFlow Datasets,
# `penguins/processed`, cuyas medidas vienen normalizadas con **todos** los
# pingüinos, antes de separar la prueba: una pequeña fuga que aquí evitamos.

# %% [markdown] tags=["en"]
# ## The prepared data
#
# `penguins.processed()` does the usual preparation, in this order:
#
# 1. it drops the incomplete rows and turns every species into its number;
# 2. it splits at random (seeded) 80% for training and 20% for the final test, with the same
#    share of each species in both parts (a *stratified* split);
# 3. it **standardizes** each measurement: subtracts its mean and divides by its standard deviation.
#
# Standardizing matters because the measurements live on very different
# scales: mass is in thousands of grams and bill depth around 20 mm. Without
# that step, mass would dominate the network's first computations. The mean
# and the deviation are computed **on the training set only** and applied
# as they are to the test set, so nothing from the test leaks into
# training; that is why the test set's means are not exactly 0. The original
# tutorial uses TensorFlow Datasets' ready-made `penguins/processed`, whose
# measurements come normalized with **all** the penguins, before the test
# is split off: a small leak that we avoid here.

# %% tags=["nbval-check-output"]
penguin_data = penguins.processed(seed=SEED)
X_train, y_train = penguin_data.X_train, penguin_data.y_train
X_test, y_test = penguin_data.X_test, penguin_data.y_test
print(f"training: {tuple(X_train.shape)}, test: {tuple(X_test.shape)}")
print("training means:", X_train.mean(dim=0).numpy().round(2) + 0.0)  # + 0.0 turns -0 into 0
print("test means:", X_test.mean(dim=0).numpy().round(2) + 0.0)
report.record(train_size=len(y_train), test_size=len(y_test))

# %% [markdown] tags=["es"]
# Un `DataLoader` sirve los ejemplos de entrenamiento en lotes de 32,
# barajados en cada época, como en el tutorial original. Los de prueba no
# hace falta barajarlos.

# %% [markdown] tags=["en"]
# A `DataLoader` serves the training examples in batches of 32, shuffled on
# every epoch, as in the original tutorial. The test ones need no shuffling.

# %%
batch_size = 32
train_data = data.subset(TensorDataset(X_train, y_train), TRAIN_SUBSET, seed=SEED)
test_data = TensorDataset(X_test, y_test)
train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True, generator=generator)
test_loader = DataLoader(test_data, batch_size=batch_size)
print(f"{len(train_data)} training penguins in {len(train_loader)} batches")

# %% [markdown] tags=["es"]
# Si dibujas dos características, una frente a otra, con un color por
# especie, aparecen grupos (*clusters*) bastante separados: las Adelia
# tienen el pico corto y alto, las barbijo largo y alto, y las papúa largo y
# bajo. Que los grupos se vean a simple vista anuncia que el problema es
# fácil para una red pequeña.

# %% [markdown] tags=["en"]
# If you plot two features against each other, one colour per species,
# fairly separate groups (*clusters*) show up: Adelie penguins have a short,
# deep bill, Chinstraps a long, deep one, and Gentoos a long, shallow one.
# Groups you can see with the naked eye announce that the problem is easy
# for a small network.

# %%
fig, ax = plt.subplots(figsize=(5.5, 4))
for label, name in enumerate(class_names):
    chosen = y_train == label
    ax.scatter(X_train[chosen, 0], X_train[chosen, 1], label=name, alpha=0.7)
feature_labels = penguins.feature_labels()
ax.set_xlabel(f"{feature_labels[0]}, standardized")
ax.set_ylabel(f"{feature_labels[1]}, standardized")
ax.legend()
ax.grid(alpha=0.3)

# %% [markdown] tags=["es"]
# ## ¿Por qué un modelo?
#
# Un **modelo** es una relación entre las características y la etiqueta.
# Mirando el gráfico podrías escribir reglas a mano («si el pico es corto,
# Adelia»), pero afinar los umbrales de cuatro medidas a la vez es tedioso y,
# con datos más complicados, imposible. El aprendizaje automático encuentra
# esa relación por ti a partir de ejemplos con su etiqueta: es aprendizaje
# **supervisado**.
#
# ## Elegir el modelo
#
# Usamos una red neuronal **densa** (cada neurona recibe todas las salidas
# de la capa anterior): 4 entradas, dos capas ocultas de 10 neuronas y 3
# salidas, una por especie. Tras cada capa oculta va una activación ReLU,
# que deja pasar los positivos y convierte los negativos en 0. Esa **no
# linealidad** es lo que da potencia a la red: sin ella, varias capas
# lineales seguidas equivalen a una sola capa lineal. (El tutorial original
# titula esta parte «un modelo lineal simple», pero con ReLU no lo es.)

# %% [markdown] tags=["en"]
# ## Why a model?
#
# A **model** is a relationship between the features and the label.
# Looking at the plot you could write rules by hand ("short bill: Adelie"),
# but tuning thresholds on four measurements at once is tedious and, with
# harder data, impossible. Machine learning finds that relationship for you
# from examples with their label: that is **supervised** learning.
#
# ## Choosing the model
#
# We use a **dense** neural network (every neuron receives all the outputs
# of the layer before): 4 inputs, two hidden layers of 10 neurons and 3
# outputs, one per species. After each hidden layer comes a ReLU activation,
# which lets positive values through and turns negative ones into 0. That
# **non-linearity** is what gives the network its power: without it,
# several linear layers in a row amount to a single linear layer. (The
# original tutorial calls this part "a simple linear model", but with ReLU
# it is not one.)

# %% tags=["nbval-check-output"]
model = nn.Sequential(
    nn.Linear(4, 10),
    nn.ReLU(),
    nn.Linear(10, 10),
    nn.ReLU(),
    nn.Linear(10, 3),
)
parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"{parameters} parameters")
report.record(parameters=parameters)

# %% [markdown] tags=["es"]
# ## Qué predice un modelo sin entrenar
#
# Las tres salidas son **logits**: puntuaciones sin escala, una por especie.
# `softmax` las convierte en probabilidades (positivas y que suman 1), y
# `argmax` elige la especie más probable. Con los pesos iniciales, que son
# aleatorios, las probabilidades rondan un tercio y las predicciones son
# malas.

# %% [markdown] tags=["en"]
# ## What an untrained model predicts
#
# The three outputs are **logits**: unscaled scores, one per species.
# `softmax` turns them into probabilities (positive, adding up to 1), and
# `argmax` picks the most likely species. With the initial weights, which
# are random, the probabilities hover around a third and the predictions
# are poor.

# %%
X, y = next(iter(train_loader))
with torch.no_grad():
    logits = model(X)
print("probabilities for the first 5 penguins:")
print(logits[:5].softmax(dim=1).numpy().round(3))
print("predictions:", logits.argmax(dim=1)[:10].tolist())
print("labels:     ", y[:10].tolist())
with torch.no_grad():
    untrained_accuracy = (model(X_train).argmax(dim=1) == y_train).float().mean().item()
print(f"accuracy on the training set: {untrained_accuracy:.1%}")
report.record(untrained_accuracy=untrained_accuracy)

# %% [markdown] tags=["es"]
# ## La pérdida y los gradientes
#
# La **pérdida** mide lo lejos que están las predicciones de las etiquetas;
# entrenar es hacerla pequeña. Para clasificar se usa la entropía cruzada,
# `nn.CrossEntropyLoss`: recibe los **logits** y las etiquetas como enteros
# y devuelve la pérdida media del lote. Es la pareja en PyTorch de
# `SparseCategoricalCrossentropy(from_logits=True)` de Keras. Ojo: aplica
# softmax por dentro, así que no hay que pasarle probabilidades (la
# traducción del tutorial dice que recibe probabilidades; con esa opción,
# recibe logits). La celda comprueba que es lo mismo que la media de
# $-\log p_y$, el logaritmo de la probabilidad de la clase correcta.

# %% [markdown] tags=["en"]
# ## Loss and gradients
#
# The **loss** measures how far the predictions are from the labels;
# training means making it small. Classification uses cross-entropy,
# `nn.CrossEntropyLoss`: it takes the **logits** and the labels as integers
# and returns the batch's mean loss. It is PyTorch's counterpart of Keras's
# `SparseCategoricalCrossentropy(from_logits=True)`. Beware: it applies
# softmax inside, so you must not give it probabilities (the Spanish
# translation of the tutorial says it takes probabilities; with that
# option, it takes logits). The cell checks it equals the mean of
# $-\log p_y$, the log of the probability of the right class.

# %%
criterion = nn.CrossEntropyLoss()
loss = criterion(model(X), y)
by_hand = -model(X).log_softmax(dim=1)[torch.arange(len(y)), y].mean()
print(f"CrossEntropyLoss: {loss.item():.4f}   by hand: {by_hand.item():.4f}")

# %% [markdown] tags=["es"]
# TensorFlow calcula gradientes grabando las operaciones dentro de un
# bloque `tf.GradientTape`. En PyTorch la grabación es automática
# (*autograd*): cada operación sobre tensores con `requires_grad` queda
# apuntada al ejecutarse, y `loss.backward()` recorre ese registro hacia
# atrás y deja el gradiente de cada peso en su `.grad`.

# %% [markdown] tags=["en"]
# TensorFlow computes gradients by recording operations inside a
# `tf.GradientTape` block. In PyTorch the recording is automatic
# (*autograd*): every operation on tensors with `requires_grad` is noted
# as it runs, and `loss.backward()` walks that record backwards and leaves
# the gradient of every weight in its `.grad`.

# %% [markdown] tags=["es"]
# ## Un paso de optimización
#
# El **optimizador** usa esos gradientes para mover los pesos cuesta abajo
# en la superficie de la pérdida. Como en el original, usamos descenso de
# gradiente estocástico (SGD) con tasa de aprendizaje 0.01: cada peso se
# mueve 0.01 veces su gradiente, en sentido contrario. Un solo paso sobre el
# mismo lote baja la pérdida un poco.

# %% [markdown] tags=["en"]
# ## One optimization step
#
# The **optimizer** uses those gradients to move the weights downhill on
# the loss surface. As in the original, we use stochastic gradient descent
# (SGD) with learning rate 0.01: every weight moves 0.01 times its
# gradient, the opposite way. A single step on the same batch lowers the
# loss a little.

# %%
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss = criterion(model(X), y)
print(f"before the step: loss {loss.item():.4f}")
optimizer.zero_grad()
loss.backward()
optimizer.step()
step_loss_after = criterion(model(X), y).item()
print(f"after the step:  loss {step_loss_after:.4f}")
report.record(step_loss_before=loss.item(), step_loss_after=step_loss_after)

# %% [markdown] tags=["es"]
# ## El bucle de entrenamiento
#
# Con todas las piezas, entrenar es repetir:
#
# 1. para cada época (una pasada por los datos de entrenamiento),
# 2. para cada lote `X, y`: predecir, calcular la pérdida y sus gradientes, y dar un paso;
# 3. llevar estadísticas de la época para ver cómo avanza.
#
# ### Ejercicio: estadísticas por época
#
# `train_epoch(model, loader, criterion, optimizer)` ya da los cuatro pasos
# en cada lote. Complétala para que devuelva dos números de Python, la
# **pérdida media por muestra** y la **exactitud** de la época (la fracción
# de aciertos, entre 0 y 1), en el hueco marcado:
#
# - antes del bucle, tres acumuladores empiezan en cero: pérdida total,
#   aciertos y muestras vistas;
# - tras cada paso, súmales `loss.item()` multiplicada por `len(y)` (la pérdida del lote es una
#   media), los aciertos del lote (`logits.argmax(dim=1)` igual a `y`) y `len(y)`;
# - al final, la función divide la pérdida total y los aciertos entre el número de muestras.
#
# No promedies por lotes: el último lote es más pequeño y pesaría de más.

# %% [markdown] tags=["en"]
# ## The training loop
#
# With every piece in place, training means repeating:
#
# 1. for every epoch (one pass over the training data),
# 2. for every batch `X, y`: predict, compute the loss and its gradients, and take a step;
# 3. keep statistics of the epoch to see how it is going.
#
# ### Exercise: per-epoch statistics
#
# `train_epoch(model, loader, criterion, optimizer)` already takes the four
# steps on every batch. Complete it so that it returns two Python numbers,
# the epoch's **mean loss per sample** and its **accuracy** (the fraction
# of correct predictions, between 0 and 1), in the marked gap:
#
# - before the loop, three running totals start at zero: total loss,
#   correct predictions and samples seen;
# - after each step, add to them `loss.item()` times `len(y)` (the batch's loss is a mean), the
#   batch's correct predictions (`logits.argmax(dim=1)` equal to `y`) and `len(y)`;
# - at the end, the function divides the total loss and the correct predictions by the samples.
#
# Do not average per batch: the last batch is smaller and would weigh too much.


# %%
def train_epoch(model, loader, criterion, optimizer) -> tuple[float, float]:
    """Train ``model`` for one epoch; return the mean loss per sample and the accuracy."""
    model.train()
    total_loss, correct, n_samples = 0.0, 0, 0
    for X, y in loader:
        logits = model(X)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ### BEGIN SOLUTION
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        n_samples += len(y)
        ### END SOLUTION
    return total_loss / n_samples, correct / n_samples


# %% tags=["check"]
check.epoch_statistics(train_epoch)

# %% [markdown] tags=["es"]
# ### Entrenar
#
# El bucle de épocas guarda la pérdida y la exactitud de cada una en
# `history` e imprime la primera, una de cada 50 y la última. Tarda unos
# segundos.

# %% [markdown] tags=["en"]
# ### Training
#
# The epoch loop stores each epoch's loss and accuracy in `history` and
# prints the first one, one in every 50 and the last. It takes a few seconds.

# %%
history = {"train_loss": [], "train_acc": []}
with checks.needs_solution():
    for epoch in range(1, NUM_EPOCHS + 1):
        epoch_loss, epoch_accuracy = train_epoch(model, train_loader, criterion, optimizer)
        history["train_loss"].append(epoch_loss)
        history["train_acc"].append(epoch_accuracy)
        if epoch % 50 == 1 or epoch == NUM_EPOCHS:
            print(f"epoch {epoch:3d}: loss {epoch_loss:.3f}, accuracy {epoch_accuracy:.1%}")
    fig = plots.curves(history)
    first_loss, last_loss = history["train_loss"][0], history["train_loss"][-1]
    report.record(first_loss=first_loss, last_loss=last_loss, train_accuracy=epoch_accuracy)

# %% [markdown] tags=["es"]
# Leer estas curvas es un arte, pero lo que se busca es que la pérdida baje
# y la exactitud suba. Aquí, durante las primeras decenas de épocas la
# pérdida baja despacio y la exactitud apenas se mueve: con una tasa de 0.01
# el SGD avanza poco a poco hasta que la red encuentra cómo separar las
# especies, y entonces todo se acelera. Al final la exactitud de
# entrenamiento pasa del 95 %.
#
# ## Evaluar el modelo
#
# La exactitud de entrenamiento no basta: el modelo ya ha visto esos
# pingüinos. Evaluar es medir con los de **prueba**, que nunca ha visto.
# Se parece a entrenar, con tres diferencias: una sola pasada, sin tocar los
# pesos, y con el modelo en modo evaluación.
#
# ### Ejercicio: la evaluación
#
# Escribe `evaluate(model, loader)`, que devuelva la exactitud (entre 0 y 1)
# del modelo sobre **todos** los lotes de `loader`:
#
# - pon el modelo en modo evaluación con `model.eval()`;
# - recorre los lotes dentro de `torch.no_grad()`, porque aquí no hacen falta gradientes;
# - cuenta los aciertos y las muestras de cada lote y divide al final, como antes.

# %% [markdown] tags=["en"]
# Reading these curves is an art, but what you look for is the loss going
# down and the accuracy going up. Here, for the first few dozen epochs the
# loss falls slowly and the accuracy hardly moves: with a rate of 0.01, SGD
# inches along until the network finds how to separate the species, and
# then everything speeds up. In the end the training accuracy is above 95%.
#
# ## Evaluating the model
#
# Training accuracy is not enough: the model has already seen those
# penguins. Evaluating means measuring on the **test** ones, which it has
# never seen. It looks like training, with three differences: a single
# pass, the weights untouched, and the model in evaluation mode.
#
# ### Exercise: the evaluation
#
# Write `evaluate(model, loader)`, returning the model's accuracy (between
# 0 and 1) over **every** batch of `loader`:
#
# - switch the model to evaluation mode with `model.eval()`;
# - go through the batches inside `torch.no_grad()`, since no gradients are needed here;
# - count each batch's correct predictions and samples and divide at the end, as before.


# %%
def evaluate(model, loader) -> float:
    """Accuracy (0 to 1) of ``model`` over every batch of ``loader``, without training it."""
    ### BEGIN SOLUTION
    model.eval()
    correct, n_samples = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return correct / n_samples
    ### END SOLUTION


# %% tags=["check"]
check.evaluate(evaluate)

# %%
if checks.solved(train_epoch, evaluate):
    test_accuracy = evaluate(model, test_loader)
    print(f"test accuracy: {test_accuracy:.1%} of {len(test_data)} penguins")
    print(f"(each penguin is {1 / len(test_data):.1%} of the test set)")
    report.record(test_accuracy=test_accuracy)

# %% [markdown] tags=["es"]
# La red acierta al menos el 95 % de los pingüinos de prueba. Como el
# conjunto de prueba es pequeño, un solo pingüino mueve bastante la cifra: no le des
# importancia a diferencias de un punto entre ejecuciones.
#
# Un aviso: aquí no hay conjunto de validación. El número de épocas viene
# fijado por el tutorial, no elegido mirando la prueba, y eso mantiene
# honesta la cifra. Con tan pocos pingüinos, entrenar mucho más podría
# acabar en sobreajuste, y para verlo habría que apartar una validación,
# como en la lección 02. Si eligieras las épocas mirando la exactitud de
# prueba, esta dejaría de ser una estimación honesta.
#
# Otra forma de verlo es poner lado a lado las predicciones y las etiquetas
# del último lote de prueba: casi siempre coinciden.

# %% [markdown] tags=["en"]
# The network gets at least 95% of the test penguins right. Since the test
# set is small, a single penguin moves the figure quite a bit: do not read
# much into one-point differences between runs.
#
# A warning: there is no validation set here. The number of epochs is fixed
# by the tutorial, not chosen by looking at the test, and that keeps the
# figure honest. With so few penguins, training much longer could end in
# overfitting, and seeing it would take setting a validation set aside, as
# in lesson 02. If you chose the epochs by looking at the test accuracy, it
# would stop being an honest estimate.
#
# Another way to see it is to put side by side the predictions and the
# labels of the last test batch: they nearly always agree.

# %%
if checks.solved(train_epoch):
    model.eval()
    with torch.no_grad():
        for X, y in test_loader:
            predictions = model(X).argmax(dim=1)
    labels = [class_names[i] for i in y]
    predicted = [class_names[i] for i in predictions]
    display(pd.DataFrame({"label": labels, "prediction": predicted}))

# %% [markdown] tags=["es"]
# Un lote es solo una muestra. La **matriz de confusión** resume todo el
# conjunto de prueba: cada fila es la especie real y cada columna la
# predicha. La diagonal cuenta los aciertos y cada casilla fuera de ella, un
# error concreto: qué especie se tomó por cuál. Con tres especies cabe de un
# vistazo, y dice más que la exactitud sola (en la lección 02 la usamos con
# los diez dígitos).

# %% [markdown] tags=["en"]
# One batch is only a sample. The **confusion matrix** sums up the whole
# test set: every row is the true species and every column the predicted
# one. The diagonal counts the correct predictions and every cell off it one
# specific mistake: which species was taken for which. With three species it
# fits in one glance, and it says more than the accuracy alone (lesson 02
# used it for the ten digits).

# %%
if checks.solved(train_epoch):
    X_all, y_all = test_data.tensors
    model.eval()
    with torch.no_grad():
        all_predictions = model(X_all).argmax(dim=1)
    cm = metrics.confusion(y_all, all_predictions, num_classes=len(class_names))
    fig = plots.confusion_matrix(cm, class_names)
    report.record(confusion_total=int(cm.sum()))

# %% [markdown] tags=["es"]
# ## Predecir pingüinos sin etiqueta
#
# Para eso se entrena un modelo: para clasificar animales cuya especie no
# sabemos. Aquí van tres, medidos a mano en unidades reales (mm y g). Antes
# de dárselos al modelo hay que estandarizarlos **igual que los datos de
# entrenamiento**: `penguin_data.scale` aplica la misma media y desviación.

# %% [markdown] tags=["en"]
# ## Predicting unlabeled penguins
#
# That is what a model is trained for: classifying animals whose species we
# do not know. Here are three, measured by hand in real units (mm and g).
# Before giving them to the model they must be standardized **exactly like
# the training data**: `penguin_data.scale` applies the same mean and deviation.

# %%
unlabeled = pd.DataFrame(
    [[38.6, 18.9, 186, 3650], [49.6, 18.6, 197, 3800], [47.2, 14.8, 219, 5250]],
    columns=penguins.FEATURES,
)
if checks.solved(train_epoch):
    model.eval()
    with torch.no_grad():
        probabilities = model(penguin_data.scale(unlabeled.to_numpy())).softmax(dim=1)
    for number, p in enumerate(probabilities, start=1):
        best = p.argmax().item()
        print(f"penguin {number}: {class_names[best]} ({p[best]:.1%})")
    report.record(unlabeled_as_expected=probabilities.argmax(dim=1).tolist() == [0, 1, 2])

# %% [markdown] tags=["es"]
# Las medidas se eligieron típicas de cada especie, y el modelo entrenado
# las reconoce como Adelia, barbijo y papúa, en ese orden.
#
# ### Pruébalo tú
#
# Mueve los deslizadores: cada uno es una medida en unidades reales, dentro
# del rango que aparece en la tabla. Las barras muestran al momento la
# probabilidad de cada especie. Busca un pingüino del que el modelo dude.

# %% [markdown] tags=["en"]
# The measurements were chosen typical of each species, and the trained
# model recognizes them as Adelie, Chinstrap and Gentoo, in that order.
#
# ### Try it yourself
#
# Move the sliders: each one is a measurement in real units, within the
# range found in the table. The bars show each species' probability right
# away. Look for a penguin the model is unsure about.


# %%
def show_probabilities(change=None) -> None:
    """Predict the sliders' penguin and show one text bar per species."""
    measurements = [[slider.value for slider in sliders.values()]]
    model.eval()
    with torch.no_grad():
        p = model(penguin_data.scale(measurements)).softmax(dim=1)[0].tolist()
    pairs = zip(class_names, p, strict=True)
    rows = [f"{name:<10} {'█' * round(30 * q):<30} {q:6.1%}" for name, q in pairs]
    bars.value = "<pre>" + "\n".join(rows) + "</pre>"


# %%
steps = {"bill_length_mm": 0.1, "bill_depth_mm": 0.1, "flipper_length_mm": 1, "body_mass_g": 25}
sliders = {
    name: widgets.FloatSlider(
        kept[name].median(), min=kept[name].min(), max=kept[name].max(), step=step
    )
    for name, step in steps.items()
}
bars = widgets.HTML()  # a plain widget: nothing waits on it in a headless run
for slider, label in zip(sliders.values(), penguins.feature_labels(), strict=True):
    slider.description, slider.style.description_width = label, "14em"
    slider.observe(show_probabilities, names="value")
if checks.solved(train_epoch):
    display(widgets.VBox([*sliders.values(), bars]))
    show_probabilities()

# %% [markdown] tags=["es"]
# ## Qué cambia respecto al original
#
# - El modelo no es lineal: las activaciones ReLU lo hacen no lineal, y por eso funciona.
# - `CrossEntropyLoss` recibe logits, no probabilidades.
# - La traducción llama «precisión» a la exactitud (*accuracy*); la precisión es otra métrica, que
#   verás con la matriz de confusión.
# - La pérdida de la época pondera cada lote por su tamaño; el original promediaba las pérdidas de
#   los lotes, y el último, más pequeño, pesaba de más.
# - La traducción da en un sitio otro número de pingüinos; la tabla tiene los que imprime la
#   primera celda.
# - La traducción llama «anchura del culmen» a `bill_depth_mm`, que es su profundidad: la altura
#   del pico, de arriba abajo.
# - Estandarizamos después de separar la prueba, con las estadísticas del entrenamiento; los datos
#   procesados del original venían normalizados con todos los pingüinos.
#
# ## Resumen
#
# Has seguido un proyecto completo con datos tabulares: separar
# características y etiqueta, estandarizar con la parte de entrenamiento,
# elegir una red, medir la pérdida con logits, entrenar con un bucle propio
# que lleva estadísticas por época, evaluar en modo evaluación y sin
# gradientes, y predecir casos nuevos. En la lección 06 aprenderás a guardar
# un modelo y a retomar un entrenamiento donde se quedó.

# %% [markdown] tags=["en"]
# ## What changes from the original
#
# - The model is not linear: the ReLU activations make it non-linear, and that is why it works.
# - `CrossEntropyLoss` takes logits, not probabilities.
# - The Spanish translation calls accuracy «precisión»; precision is a different metric, which you
#   meet with the confusion matrix.
# - The epoch's loss weights each batch by its size; the original averaged the batches' losses,
#   so the smaller last batch weighed too much.
# - The translation gives another number of penguins in one place; the table has the ones the
#   first cell prints.
# - The translation calls `bill_depth_mm` «anchura del culmen» (culmen width); it is its depth,
#   the bill's height from top to bottom.
# - We standardize after splitting off the test set, with the training statistics; the
#   original's processed data came normalized with all the penguins.
#
# ## Summary
#
# You have followed a whole project on tabular data: telling features from
# the label, standardizing with the training set, choosing a network,
# measuring the loss on logits, training with your own loop that keeps
# per-epoch statistics, evaluating in evaluation mode without gradients,
# and predicting new cases. In lesson 06 you will learn to save a model and
# to resume a training run where it stopped.
